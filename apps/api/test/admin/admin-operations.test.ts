import {
  ActivateUserDocument,
  AddUserToGroupDocument,
  ArchiveUserDocument,
  AuditLogDocument,
  CreateGroupDocument,
  DeactivateUserDocument,
  GrantPermissionDocument,
  GroupsDocument,
  MeDocument,
  PermissionsDocument,
  RemovePermissionDocument,
  RemoveUserFromGroupDocument,
  RevokeUserTokensDocument,
  SetStaffDocument,
  TokenAuthDocument,
  UnarchiveUserDocument,
  UserPermissionsDocument,
  UserSessionsDocument,
  VerifyUserDocument,
} from '@gql-auth/sdk';
import { print } from 'graphql';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toGlobalId } from '../../src/modules/base/global-id.js';
import { digestToken } from '../../src/modules/tokens/token-store.js';
import type { User } from '../../src/modules/users/user.entity.js';
import { createSignedIn, createUser, FIXTURE_PASSWORD } from '../support/fixtures.js';
import { createTestInstance, type TestInstance } from '../support/test-instance.js';

/** Signs in over HTTP with a chosen user agent; returns the raw refresh token. */
async function signIn(api: TestInstance, username: string, userAgent: string): Promise<string> {
  const { json } = await api.post(
    JSON.stringify({ query: print(TokenAuthDocument), variables: { username, password: FIXTURE_PASSWORD } }),
    { 'user-agent': userAgent },
  );
  const result = (json as { data: { tokenAuth: { success: boolean; refreshToken: string } } }).data.tokenAuth;
  expect(result.success).toBe(true);
  return result.refreshToken;
}

const gid = (user: User) => toGlobalId('UserNode', user.id);

describe('admin operations (postgres+redis)', () => {
  let api: TestInstance;
  let staff: { user: User; token: string };
  let root: { user: User; token: string };
  let plain: { user: User; token: string };

  beforeAll(async () => {
    api = await createTestInstance('postgres+redis');
    staff = await createSignedIn(api, { username: 'staffer', isStaff: true });
    root = await createSignedIn(api, { username: 'root', isStaff: true, isSuperuser: true });
    plain = await createSignedIn(api, { username: 'plain' });
  });
  afterAll(async () => {
    await api?.close();
  });

  it('refuses anonymous and ordinary users on every admin operation with a clear error', async () => {
    const target = gid(plain.user);
    const attempts = (token?: string) => [
      api.gql(UserSessionsDocument, { user: target }, { token }),
      api.gql(RevokeUserTokensDocument, { user: target, tokens: ['x'] }, { token }),
      api.gql(ArchiveUserDocument, { user: target }, { token }),
      api.gql(DeactivateUserDocument, { user: target }, { token }),
      api.gql(VerifyUserDocument, { user: target }, { token }),
      api.gql(SetStaffDocument, { user: target, isStaff: true }, { token }),
      api.gql(GrantPermissionDocument, { user: target, permission: 'users.view_user' }, { token }),
      api.gql(PermissionsDocument, {}, { token }),
      api.gql(AuditLogDocument, {}, { token }),
    ];
    for (const response of await Promise.all(attempts())) {
      expect(response.data ?? null).toBeNull();
      expect(response.errors?.[0]).toMatchObject({
        message: expect.stringContaining('You must be signed in'),
        extensions: { code: 'UNAUTHENTICATED' },
      });
    }
    for (const response of await Promise.all(attempts(plain.token))) {
      expect(response.data ?? null).toBeNull();
      expect(response.errors?.[0]).toMatchObject({
        message: expect.stringMatching(/Staff only|Superusers only/),
        extensions: { code: 'FORBIDDEN' },
      });
    }
    // Staff, but superuser-only operations stay closed.
    for (const response of await Promise.all([
      api.gql(SetStaffDocument, { user: target, isStaff: true }, { token: staff.token }),
      api.gql(
        GrantPermissionDocument,
        { user: target, permission: 'users.view_user' },
        { token: staff.token },
      ),
      api.gql(CreateGroupDocument, { name: 'x' }, { token: staff.token }),
      api.gql(AuditLogDocument, {}, { token: staff.token }),
    ])) {
      expect(response.errors?.[0]).toMatchObject({
        message: expect.stringContaining('Superusers only.'),
        extensions: { code: 'FORBIDDEN' },
      });
    }
  });

  it('lists a user’s refresh tokens without the raw tokens, and bulk revoke kills the selected ones', async () => {
    const victim = await createUser(api, { username: 'victim' });
    const laptop = await signIn(api, 'victim', 'Laptop/1.0');
    const phone = await signIn(api, 'victim', 'Phone/2.0');
    const tablet = await signIn(api, 'victim', 'Tablet/3.0');

    const listed = await api.gql(UserSessionsDocument, { user: gid(victim) }, { token: staff.token });
    expect(listed.errors).toBeUndefined();
    const sessions = listed.data!.userSessions;
    expect(sessions).toHaveLength(3);
    expect(sessions.map((session) => session.userAgent).sort()).toEqual([
      'Laptop/1.0',
      'Phone/2.0',
      'Tablet/3.0',
    ]);
    expect(sessions[0]).toMatchObject({
      expired: false,
      revokedAt: null,
      rotatedAt: null,
      active: true,
      createdAt: api.clock.now().toISOString(),
      expiresAt: new Date(api.clock.now().getTime() + 7 * 86_400_000).toISOString(),
      ip: expect.stringContaining('127.0.0.1'),
    });
    const body = JSON.stringify(listed);
    for (const raw of [laptop, phone, tablet]) expect(body).not.toContain(raw);
    const idOf = (raw: string) => sessions.find((session) => session.id === digestToken(raw))!.id;

    // Someone else's token in the selection: nothing is revoked.
    const otherRefresh = await signIn(api, 'plain', 'Other/1.0');
    const mixed = await api.gql(
      RevokeUserTokensDocument,
      { user: gid(victim), tokens: [idOf(laptop), digestToken(otherRefresh)] },
      { token: staff.token },
    );
    expect(mixed.data?.revokeUserTokens).toMatchObject({
      success: false,
      errors: { tokens: [{ code: 'invalid' }] },
    });
    expect((await api.services.tokenStore.find(digestToken(laptop)))?.revokedAt).toBeNull();

    const revoked = await api.gql(
      RevokeUserTokensDocument,
      { user: gid(victim), tokens: [idOf(laptop), idOf(phone)] },
      { token: staff.token },
    );
    expect(revoked.data?.revokeUserTokens).toEqual({ success: true, errors: null, revokedCount: 2 });

    const now = api.clock.now();
    for (const raw of [laptop, phone]) {
      expect((await api.services.tokenStore.find(digestToken(raw)))?.revokedAt).toEqual(now);
      // What the refresh mutation does first: the store refuses to rotate a revoked token.
      const rotated = await api.services.tokenStore.rotate(digestToken(raw), 'f'.repeat(64), now);
      expect(rotated.status).toBe('revoked');
    }
    expect((await api.services.tokenStore.find(digestToken(tablet)))?.revokedAt).toBeNull();
    const after = await api.gql(UserSessionsDocument, { user: gid(victim) }, { token: staff.token });
    expect(
      after.data?.userSessions.filter((session) => session.active).map((session) => session.userAgent),
    ).toEqual(['Tablet/3.0']);
  });

  it('archives, unarchives, verifies, deactivates and re-activates users', async () => {
    const target = await createSignedIn(api, { username: 'target', verified: false });
    const refresh = await signIn(api, 'target', 'Browser/1');
    const id = gid(target.user);

    const archived = await api.gql(ArchiveUserDocument, { user: id }, { token: staff.token });
    expect(archived.data?.archiveUser).toMatchObject({
      success: true,
      errors: null,
      user: { archived: true },
    });
    const unarchived = await api.gql(UnarchiveUserDocument, { user: id }, { token: staff.token });
    expect(unarchived.data?.unarchiveUser.user?.archived).toBe(false);
    const verified = await api.gql(VerifyUserDocument, { user: id }, { token: staff.token });
    expect(verified.data?.verifyUser.user?.verified).toBe(true);

    const deactivated = await api.gql(DeactivateUserDocument, { user: id }, { token: staff.token });
    expect(deactivated.data?.deactivateUser).toMatchObject({ success: true, user: { isActive: false } });
    // Their access token no longer authenticates, they cannot sign in, their refresh tokens are revoked.
    expect((await api.gql(MeDocument, {}, { token: target.token })).data?.me).toBeNull();
    const login = await api.gql(TokenAuthDocument, { username: 'target', password: FIXTURE_PASSWORD });
    expect(login.data?.tokenAuth.errors).toMatchObject({ nonFieldErrors: [{ code: 'invalid_credentials' }] });
    expect((await api.services.tokenStore.find(digestToken(refresh)))?.revokedAt).not.toBeNull();

    const activated = await api.gql(ActivateUserDocument, { user: id }, { token: staff.token });
    expect(activated.data?.activateUser.user?.isActive).toBe(true);
    expect(
      (await api.gql(TokenAuthDocument, { username: 'target', password: FIXTURE_PASSWORD })).data?.tokenAuth
        .success,
    ).toBe(true);

    // Expected failures are payloads.
    const unknown = await api.gql(
      ArchiveUserDocument,
      { user: toGlobalId('UserNode', 999_999) },
      { token: staff.token },
    );
    expect(unknown.data?.archiveUser).toEqual({
      success: false,
      errors: { user: [{ code: 'invalid', message: 'Unknown user.' }] },
      user: null,
    });
    const self = await api.gql(DeactivateUserDocument, { user: gid(staff.user) }, { token: staff.token });
    expect(self.data?.deactivateUser.errors).toMatchObject({ user: [{ code: 'invalid' }] });
    // Staff cannot act on a superuser.
    const onRoot = await api.gql(DeactivateUserDocument, { user: gid(root.user) }, { token: staff.token });
    expect(onRoot.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });

  it('lets superusers set staff, grant and remove permissions, and manage groups', async () => {
    const helper = await createUser(api, { username: 'helper' });
    const id = gid(helper);
    const promoted = await api.gql(SetStaffDocument, { user: id, isStaff: true }, { token: root.token });
    expect(promoted.data?.setStaff.user?.isStaff).toBe(true);

    const permissions = await api.gql(PermissionsDocument, {}, { token: staff.token });
    expect(permissions.data?.permissions.map((permission) => permission.codename)).toContain(
      'audit.view_auditlog',
    );

    const granted = await api.gql(
      GrantPermissionDocument,
      { user: id, permission: 'users.change_user' },
      { token: root.token },
    );
    expect(granted.data?.grantPermission).toMatchObject({ success: true, errors: null });
    const bogus = await api.gql(
      GrantPermissionDocument,
      { user: id, permission: 'nope.nothing' },
      { token: root.token },
    );
    expect(bogus.data?.grantPermission.errors).toMatchObject({ permission: [{ code: 'invalid' }] });

    const group = await api.gql(
      CreateGroupDocument,
      { name: 'Auditors', permissions: ['audit.view_auditlog', 'users.view_user'] },
      { token: root.token },
    );
    expect(group.data?.createGroup).toMatchObject({
      success: true,
      group: { name: 'Auditors', permissions: ['audit.view_auditlog', 'users.view_user'] },
    });
    const duplicate = await api.gql(CreateGroupDocument, { name: 'auditors' }, { token: root.token });
    expect(duplicate.data?.createGroup.errors).toMatchObject({ name: [{ code: 'unique' }] });
    expect((await api.gql(GroupsDocument, {}, { token: staff.token })).data?.groups).toEqual([
      { pk: expect.any(Number), name: 'Auditors', permissions: ['audit.view_auditlog', 'users.view_user'] },
    ]);

    await api.gql(AddUserToGroupDocument, { user: id, group: 'AUDITORS' }, { token: root.token });
    const held = await api.gql(UserPermissionsDocument, { user: id }, { token: staff.token });
    expect(held.data?.userPermissions).toEqual([
      'audit.view_auditlog',
      'users.change_user',
      'users.view_user',
    ]);
    expect(
      await api.services.permissions.hasPermission(
        api.services.db.orm.em.fork() as never,
        helper,
        'users.view_user',
      ),
    ).toBe(true);

    await api.gql(RemoveUserFromGroupDocument, { user: id, group: 'Auditors' }, { token: root.token });
    await api.gql(
      RemovePermissionDocument,
      { user: id, permission: 'users.change_user' },
      { token: root.token },
    );
    expect(
      (await api.gql(UserPermissionsDocument, { user: id }, { token: staff.token })).data?.userPermissions,
    ).toEqual([]);
    expect(
      await api.services.permissions.hasPermission(
        api.services.db.orm.em.fork() as never,
        helper,
        'users.view_user',
      ),
    ).toBe(false);
  });

  it('writes sign-ins (success and failure) and every admin action to the audit log, readable by superusers', async () => {
    await createUser(api, { username: 'audited' });
    await api.gql(TokenAuthDocument, { username: 'audited', password: 'wrong-Password-9' });
    await api.gql(TokenAuthDocument, { username: 'ghost', password: 'wrong-Password-9' });
    await signIn(api, 'audited', 'Audit/1');

    const { data, errors } = await api.gql(AuditLogDocument, { first: 100 }, { token: root.token });
    expect(errors).toBeUndefined();
    const entries = data!.auditLog.edges.map((edge) => edge.node);
    const [success, ghost, wrong] = entries;
    expect(success).toMatchObject({
      action: 'auth.sign_in',
      actor: { username: 'audited' },
      targetType: 'user',
      metadata: { login: 'audited', unarchiving: false },
      ip: expect.stringContaining('127.0.0.1'),
      userAgent: 'Audit/1',
    });
    expect(ghost).toMatchObject({
      action: 'auth.sign_in_failed',
      actor: null,
      actorPk: null,
      targetId: null,
      metadata: { login: 'ghost', reason: 'unknown_login' },
    });
    expect(wrong).toMatchObject({
      action: 'auth.sign_in_failed',
      metadata: { login: 'audited', reason: 'wrong_password' },
    });
    expect(JSON.stringify(entries)).not.toContain('wrong-Password-9');

    const actions = new Set(entries.map((entry) => entry.action));
    for (const action of [
      'admin.revoke_tokens',
      'admin.archive_user',
      'admin.unarchive_user',
      'admin.verify_user',
      'admin.deactivate_user',
      'admin.activate_user',
      'admin.set_staff',
      'admin.grant_permission',
      'admin.remove_permission',
      'admin.create_group',
      'admin.add_user_to_group',
      'admin.remove_user_from_group',
    ]) {
      expect(actions, action).toContain(action);
    }
    const deactivation = entries.find((entry) => entry.action === 'admin.deactivate_user')!;
    expect(deactivation).toMatchObject({
      actor: { username: 'staffer' },
      targetType: 'user',
      metadata: { field: 'isActive', before: true, after: false },
    });

    // Keyset pages and filters.
    const firstTwo = await api.gql(AuditLogDocument, { first: 2 }, { token: root.token });
    const next = await api.gql(
      AuditLogDocument,
      { first: 2, after: firstTwo.data!.auditLog.pageInfo.endCursor },
      { token: root.token },
    );
    expect(next.data!.auditLog.edges.map((edge) => edge.node.id)).toEqual(
      entries.slice(2, 4).map((entry) => entry.id),
    );
    const onlyFailures = await api.gql(
      AuditLogDocument,
      { action: 'auth.sign_in_failed' },
      { token: root.token },
    );
    expect(
      onlyFailures.data!.auditLog.edges.every((edge) => edge.node.action === 'auth.sign_in_failed'),
    ).toBe(true);
    const byStaff = await api.gql(AuditLogDocument, { actor: gid(staff.user) }, { token: root.token });
    expect(byStaff.data!.auditLog.edges.length).toBeGreaterThan(0);
    expect(byStaff.data!.auditLog.edges.every((edge) => edge.node.actorPk === staff.user.id)).toBe(true);
  });

  it('the database itself refuses UPDATE, DELETE and TRUNCATE on audit_log', async () => {
    const client = new pg.Client({ connectionString: api.services.config.databaseUrl! });
    await client.connect();
    try {
      const before = (await client.query('select count(*)::int as n from audit_log')).rows[0].n as number;
      expect(before).toBeGreaterThan(0);
      await expect(client.query(`update audit_log set action = 'forged'`)).rejects.toThrow(
        /append-only: UPDATE/,
      );
      await expect(client.query('delete from audit_log')).rejects.toThrow(/append-only: DELETE/);
      await expect(client.query('truncate audit_log')).rejects.toThrow(/append-only: TRUNCATE/);
      expect((await client.query('select count(*)::int as n from audit_log')).rows[0].n).toBe(before);
      await client.query(`insert into audit_log (occurred_at, action) values (now(), 'test.append')`);
    } finally {
      await client.end();
    }
  });
});

describe('admin operations (embedded smoke)', () => {
  let api: TestInstance;
  beforeAll(async () => {
    api = await createTestInstance('embedded');
  });
  afterAll(async () => {
    await api?.close();
  });

  it('deactivates with sessions revoked and an audit row; PGlite refuses audit_log changes too', async () => {
    const staff = await createSignedIn(api, { username: 'staffer', isStaff: true });
    const root = await createSignedIn(api, { username: 'root', isStaff: true, isSuperuser: true });
    const target = await createUser(api, { username: 'target' });
    const refresh = await signIn(api, 'target', 'Embedded/1');

    const sessions = await api.gql(UserSessionsDocument, { user: gid(target) }, { token: staff.token });
    expect(sessions.data?.userSessions).toHaveLength(1);
    const deactivated = await api.gql(DeactivateUserDocument, { user: gid(target) }, { token: staff.token });
    expect(deactivated.data?.deactivateUser).toMatchObject({ success: true, user: { isActive: false } });
    expect((await api.services.tokenStore.find(digestToken(refresh)))?.revokedAt).not.toBeNull();

    const log = await api.gql(AuditLogDocument, { first: 5 }, { token: root.token });
    expect(log.data?.auditLog.edges.map((edge) => edge.node.action)).toEqual([
      'admin.deactivate_user',
      'auth.sign_in',
    ]);

    const connection = api.services.db.orm.em.getConnection();
    await expect(connection.execute(`update audit_log set action = 'forged'`)).rejects.toThrow(/append-only/);
    await expect(connection.execute('delete from audit_log')).rejects.toThrow(/append-only/);
  });
});
