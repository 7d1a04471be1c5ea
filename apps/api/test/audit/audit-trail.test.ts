import { PassThrough } from 'node:stream';
import {
  AuditLogDocument,
  LogoutDocument,
  MeDocument,
  MySecurityEventsDocument,
  PasswordChangeDocument,
  RefreshTokenDocument,
  RemoveSecondaryEmailDocument,
  RevokeOtherSessionsDocument,
  SwapEmailsDocument,
  TokenAuthDocument,
} from '@gql-auth/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditPrune } from '../../src/cli/audit-prune.command.js';
import { createMikroOrmSqlClient } from '../../src/db/sql-client.js';
import { toGlobalId } from '../../src/modules/base/global-id.js';
import {
  type AccountKit,
  addSecondaryEmail,
  DAY,
  NEW_PASSWORD,
  PASSWORD,
  startAccountKit,
  verifiedUser,
} from '../account/account-kit.js';
import { createSignedIn } from '../support/fixtures.js';
import { TEST_MODES } from '../support/test-instance.js';

const FIREFOX = 'Mozilla/5.0 (X11; Linux x86_64; rv:132.0) Gecko/20100101 Firefox/132.0';

async function prune(kit: AccountKit, args: string[]) {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  stdout.on('data', (chunk) => {
    out += String(chunk);
  });
  stderr.on('data', (chunk) => {
    out += String(chunk);
  });
  const code = await auditPrune.run({
    config: kit.api.services.config,
    clock: kit.api.clock,
    args,
    stdout,
    stderr,
    stdin: new PassThrough(),
  });
  return { code, out };
}

describe.each(TEST_MODES)('the audit trail (%s)', (mode) => {
  let kit: AccountKit;
  const username = `trail${Date.now().toString(36)}`;
  let user: Awaited<ReturnType<typeof verifiedUser>>;
  let startedAt: Date;

  beforeAll(async () => {
    kit = await startAccountKit(mode);
  });
  afterAll(async () => {
    await kit?.close();
  });

  const events = async (token: string, variables: { first?: number; after?: string } = {}) => {
    const { data, errors } = await kit.api.gql(MySecurityEventsDocument, variables, { token });
    expect(errors).toBeUndefined();
    return data!.mySecurityEvents;
  };

  it('records every account event, and the user reads them newest first', async () => {
    startedAt = kit.api.clock.now();
    user = await verifiedUser(kit, username); // register, verify, sign in
    const { api } = kit;
    api.clock.advance(60_000); // what follows is later than startedAt (the superusers' time filter)
    const failed = await api.gql(TokenAuthDocument, { username, password: 'wrong-Password-1' });
    expect(failed.data?.tokenAuth.success).toBe(false);
    const other = await api.request(
      TokenAuthDocument,
      { username, password: PASSWORD },
      { 'user-agent': FIREFOX, 'x-forwarded-for': '203.0.113.77' },
    );
    expect(other.data?.tokenAuth.success).toBe(true);
    await addSecondaryEmail(kit, user, `${username}.second@example.com`);
    expect(
      (await api.gql(SwapEmailsDocument, { password: PASSWORD }, { token: user.token })).data?.swapEmails
        .success,
    ).toBe(true);
    expect(
      (await api.gql(RemoveSecondaryEmailDocument, { password: PASSWORD }, { token: user.token })).data
        ?.removeSecondaryEmail.success,
    ).toBe(true);
    const revoked = await api.gql(RevokeOtherSessionsDocument, {}, { token: user.token });
    // The session register started, and the Firefox one.
    expect(revoked.data?.revokeOtherSessions.revokedCount).toBe(2);
    const changed = (
      await api.gql(
        PasswordChangeDocument,
        { oldPassword: PASSWORD, newPassword1: NEW_PASSWORD, newPassword2: NEW_PASSWORD },
        { token: user.token },
      )
    ).data!.passwordChange;
    expect(changed.success).toBe(true);
    const third = (await api.gql(TokenAuthDocument, { username, password: NEW_PASSWORD })).data!.tokenAuth;
    expect(
      (await api.gql(LogoutDocument, { refreshToken: null }, { token: third.token! })).data?.logout.success,
    ).toBe(true);
    // A stolen refresh token replayed after the grace window, once its successor has served a request.
    const rotated = await api.gql(RefreshTokenDocument, { refreshToken: changed.refreshToken! });
    await api.gql(MeDocument, {}, { token: rotated.data!.refreshToken.token! });
    api.clock.advance(10_001);
    await api.gql(RefreshTokenDocument, { refreshToken: changed.refreshToken! });

    // The reuse ended the session of `changed`: its access token died with it. A new sign-in reads.
    const reader = (await api.gql(TokenAuthDocument, { username, password: NEW_PASSWORD })).data!.tokenAuth;
    const page = await events(reader.token!);
    expect(page.edges.map((edge) => edge.node.action)).toEqual([
      'auth.sign_in',
      'token.reuse_detected',
      'session.logout',
      'auth.sign_in',
      'account.password_change',
      'session.revoke_others',
      'account.email_remove',
      'account.email_swap',
      'account.email_add',
      'account.email_add_requested',
      'auth.sign_in',
      'auth.sign_in_failed',
      'auth.sign_in',
      'account.verify',
      'account.register',
    ]);
    expect(page.pageInfo.hasNextPage).toBe(false);
    // Device and network of the Firefox sign-in, coarse: never the raw address.
    const firefox = page.edges[10]!.node;
    expect(firefox).toMatchObject({ device: 'Firefox 132 on Linux', network: '203.0.113.0/24' });
    expect(JSON.stringify(page)).not.toContain('203.0.113.77');
    expect(JSON.stringify(page)).not.toContain(username);
  });

  it('pages with first/after, and shows nobody else the events', async () => {
    kit.api.clock.advance(1_000);
    const token = (await kit.api.gql(TokenAuthDocument, { username, password: NEW_PASSWORD })).data!.tokenAuth
      .token!;
    const first = await events(token, { first: 3 });
    expect(first.edges).toHaveLength(3);
    expect(first.pageInfo.hasNextPage).toBe(true);
    const second = await events(token, { first: 3, after: first.pageInfo.endCursor! });
    expect(second.edges.map((edge) => Number(edge.node.id))).toEqual(
      second.edges.map((edge) => Number(edge.node.id)).sort((a, b) => b - a),
    );
    expect(Number(second.edges[0]!.node.id)).toBeLessThan(Number(first.edges[2]!.node.id));
    const bad = await kit.api.gql(MySecurityEventsDocument, { after: 'bm9wZQ==' }, { token });
    expect(bad.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');

    const stranger = await verifiedUser(kit, `${username}x`);
    const theirs = await events(stranger.token);
    expect(theirs.edges.map((edge) => edge.node.action)).toEqual([
      'auth.sign_in',
      'account.verify',
      'account.register',
    ]);
    const anonymous = await kit.api.gql(MySecurityEventsDocument, {});
    expect(anonymous.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('superusers filter by user, action and time', async () => {
    const root = await createSignedIn(kit.api, {
      username: `root${Date.now().toString(36)}`,
      isSuperuser: true,
    });
    const about = toGlobalId('UserNode', user.pk);
    const signIns = await kit.api.gql(
      AuditLogDocument,
      { user: about, action: 'auth.sign_in' },
      { token: root.token },
    );
    expect(signIns.errors).toBeUndefined();
    expect(signIns.data!.auditLog.edges).toHaveLength(5);
    expect(signIns.data!.auditLog.edges.every((edge) => edge.node.targetId === String(user.pk))).toBe(true);
    const before = await kit.api.gql(
      AuditLogDocument,
      { user: about, until: new Date(startedAt.getTime() + 1).toISOString() },
      { token: root.token },
    );
    expect(before.data!.auditLog.edges.map((edge) => edge.node.action)).toEqual([
      'auth.sign_in',
      'account.verify',
      'account.register',
    ]);
    const since = await kit.api.gql(
      AuditLogDocument,
      { user: about, since: kit.api.clock.now().toISOString() },
      { token: root.token },
    );
    // Only what happened at the latest instant: the last sign-in of the paging test.
    expect(since.data!.auditLog.edges.map((edge) => edge.node.action)).toEqual(['auth.sign_in']);
  });

  it('prunes past the retention through the database function only; the table stays append-only', async () => {
    const sql = createMikroOrmSqlClient(kit.api.services.db.orm.em.fork());
    await expect(sql.query(`delete from "audit_log"`)).rejects.toThrow(/append-only/);
    await expect(sql.query(`update "audit_log" set "action" = 'x'`)).rejects.toThrow(/append-only/);
    const count = async () =>
      Number((await sql.query<{ n: string }>(`select count(*) as n from "audit_log"`))[0]!.n);
    const all = await count();
    kit.api.clock.advance(2 * DAY);
    await kit.api.gql(TokenAuthDocument, { username, password: NEW_PASSWORD }); // a fresh entry
    if (mode === 'postgres+redis') {
      // The CLI opens its own connection (the embedded database admits one process: not there).
      expect((await prune(kit, [])).code).toBe(2); // AUDIT_RETENTION_DAYS=0: keep forever
      const result = await prune(kit, ['--days', '1']);
      expect(result).toEqual({ code: 0, out: `deleted ${all} audit entries older than 1 days\n` });
    } else {
      const cutoff = new Date(kit.api.clock.now().getTime() - DAY);
      expect(await kit.api.services.audit.prune(kit.api.services.db.orm.em.fork(), cutoff)).toBe(all);
    }
    expect(await count()).toBe(1);
    // The marker the function sets does not outlive it.
    await expect(sql.query(`delete from "audit_log"`)).rejects.toThrow(/append-only/);
  });
});
