import {
  RegisterDocument,
  SendPasswordResetEmailDocument,
  TokenAuthDocument,
  VerifyTokenDocument,
} from '@gql-auth/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AccountKit, startAccountKit } from '../account/account-kit.js';
import { createUser, FIXTURE_PASSWORD } from '../support/fixtures.js';
import { createTestInstance } from '../support/test-instance.js';

const ATTACKER = '203.0.113.7';
const OWNER = '198.51.100.4';
const DELAY_MS = 40;

/** Sign-in answers seen from one client address (X-Forwarded-For from the loopback proxy). */
function signIn(kit: AccountKit, from: string, username: string, password: string) {
  return kit.api.request(TokenAuthDocument, { username, password }, { 'x-forwarded-for': from });
}

const codeOf = (answer: { data?: { tokenAuth: { errors?: unknown } } | null }) =>
  (answer.data?.tokenAuth.errors as { nonFieldErrors?: Array<{ code: string }> } | null)?.nonFieldErrors?.[0]
    ?.code;

describe('rate limits that protect without locking anyone out (PostgreSQL + Redis)', () => {
  let kit: AccountKit;

  beforeAll(async () => {
    kit = await startAccountKit('postgres+redis', {
      RATE_LIMIT_SIGN_IN_ACCOUNT_IP: '10/900',
      RATE_LIMIT_SIGN_IN_FREE_ATTEMPTS: '3',
      RATE_LIMIT_SIGN_IN_DELAY_MS: String(DELAY_MS),
      RATE_LIMIT_SIGN_IN_MAX_DELAY_MS: String(DELAY_MS * 2),
      RATE_LIMIT_SIGN_IN_IP: '100/3600',
      RATE_LIMIT_MAIL_ADDRESS: '5/3600',
      RATE_LIMIT_MAIL_IP: '30/3600',
      RATE_LIMIT_REGISTER_IP: '3/3600',
      RATE_LIMIT_VERIFY_TOKEN_IP: '5/60',
    });
    await createUser(kit.api, { username: 'owner' });
  });
  afterAll(async () => {
    await kit?.close();
  });

  it('slows, then refuses 200 wrong passwords with retryAfter, while the owner signs in from elsewhere', async () => {
    const answers: Array<{ code: string | undefined; ms: number; retryAfter?: number }> = [];
    for (let attempt = 0; attempt < 200; attempt++) {
      const started = performance.now();
      const answer = await signIn(kit, ATTACKER, 'owner', `wrong-${attempt}`);
      const error = answer.data?.tokenAuth.errors?.nonFieldErrors?.[0];
      answers.push({ code: codeOf(answer), ms: performance.now() - started, retryAfter: error?.retryAfter });
    }
    // 10 attempts are answered (invalid_credentials); the 190 after them are refused.
    expect(answers.slice(0, 10).map((answer) => answer.code)).toEqual(Array(10).fill('invalid_credentials'));
    expect(new Set(answers.slice(10).map((answer) => answer.code))).toEqual(new Set(['rate_limited']));
    // Attempts 4 to 10 waited at least the configured delay before their answer (a lower bound only).
    for (const answer of answers.slice(3, 10)) expect(answer.ms).toBeGreaterThanOrEqual(DELAY_MS - 1);
    const refusal = answers[10]!;
    expect(refusal.retryAfter).toBeGreaterThan(0);
    expect(refusal.retryAfter).toBeLessThanOrEqual(900);

    // The owner, elsewhere, is neither refused nor slowed by what the attacker did.
    const owner = await signIn(kit, OWNER, 'owner', FIXTURE_PASSWORD);
    expect(owner.data?.tokenAuth).toMatchObject({ success: true, errors: null });
    // Even the right password stays refused from the attacker's address until the window ends.
    expect(codeOf(await signIn(kit, ATTACKER, 'owner', FIXTURE_PASSWORD))).toBe('rate_limited');
  });

  it('answers unknown logins exactly like known ones, and counts every spelling of a login as one account', async () => {
    const from = '203.0.113.8';
    const known: Array<string | undefined> = [];
    const unknown: Array<string | undefined> = [];
    for (let attempt = 0; attempt < 12; attempt++) {
      known.push(codeOf(await signIn(kit, from, attempt % 2 ? 'OWNER' : 'owner', 'wrong')));
      unknown.push(codeOf(await signIn(kit, from, 'nobody-here', 'wrong')));
    }
    expect(known).toEqual(unknown);
    expect(known.slice(9)).toEqual(['invalid_credentials', 'rate_limited', 'rate_limited']);
  });

  it('starts the count over when the owner signs in', async () => {
    const from = '203.0.113.9';
    await createUser(kit.api, { username: 'forgetful' });
    for (let attempt = 0; attempt < 9; attempt++) await signIn(kit, from, 'forgetful', 'wrong');
    expect((await signIn(kit, from, 'forgetful', FIXTURE_PASSWORD)).data?.tokenAuth.success).toBe(true);
    // Nine more failures fit again: the success cleared the nine before it.
    const after: Array<string | undefined> = [];
    for (let attempt = 0; attempt < 10; attempt++)
      after.push(codeOf(await signIn(kit, from, 'forgetful', 'wrong')));
    expect(after).toEqual([...Array(10).fill('invalid_credentials')]);
    expect(codeOf(await signIn(kit, from, 'forgetful', 'wrong'))).toBe('rate_limited');
  });

  it('counts an IPv6 client by its /64', async () => {
    await createUser(kit.api, { username: 'v6' });
    for (let host = 0; host < 10; host++) await signIn(kit, `2001:db8:1:2::${host + 1}`, 'v6', 'wrong');
    expect(codeOf(await signIn(kit, '2001:db8:1:2:abcd::99', 'v6', 'wrong'))).toBe('rate_limited');
    expect(codeOf(await signIn(kit, '2001:db8:1:3::1', 'v6', 'wrong'))).toBe('invalid_credentials');
  });

  it('limits mail per recipient, answering known and unknown addresses alike', async () => {
    await createUser(kit.api, { username: 'mailed', email: 'mailed@example.com' });
    const ask = (email: string) =>
      kit.api.request(SendPasswordResetEmailDocument, { email }, { 'x-forwarded-for': '192.0.2.50' });
    const known: unknown[] = [];
    const unknown: unknown[] = [];
    for (let attempt = 0; attempt < 7; attempt++) {
      known.push((await ask('mailed@example.com')).data?.sendPasswordResetEmail);
      unknown.push((await ask('ghost@example.com')).data?.sendPasswordResetEmail);
    }
    // Alike but for retryAfter, which counts down from each address's own first request.
    const withoutRetryAfter = (answers: unknown[]) =>
      JSON.stringify(answers).replace(/"retryAfter":\d+/g, '');
    expect(withoutRetryAfter(known)).toBe(withoutRetryAfter(unknown));
    expect(known.slice(0, 5)).toEqual(Array(5).fill({ success: true, errors: null }));
    expect(known[5]).toMatchObject({
      success: false,
      errors: { nonFieldErrors: [{ code: 'rate_limited', retryAfter: expect.any(Number) }] },
    });
    expect(kit.smtp.mails.filter((mail) => mail.to.includes('mailed@example.com'))).toHaveLength(5);
    // Case and spaces do not make a new recipient.
    expect((await ask('  MAILED@example.com ')).data?.sendPasswordResetEmail.errors).toMatchObject({
      nonFieldErrors: [{ code: 'rate_limited' }],
    });
  });

  it('limits register and verifyToken per client', async () => {
    const from = { 'x-forwarded-for': '192.0.2.60' };
    const codes = [];
    for (let index = 0; index < 4; index++) {
      const answer = await kit.api.request(
        RegisterDocument,
        { email: `new${index}@example.com`, username: `new${index}`, password1: 'x', password2: 'y' },
        from,
      );
      codes.push(
        (answer.data?.register.errors as { nonFieldErrors?: Array<{ code: string }> })?.nonFieldErrors?.[0]
          ?.code ?? 'answered',
      );
    }
    expect(codes).toEqual(['answered', 'answered', 'answered', 'rate_limited']);
    const verify = [];
    for (let index = 0; index < 6; index++) {
      const answer = await kit.api.request(VerifyTokenDocument, { token: 'not-a-jwt' }, from);
      verify.push(answer.data?.verifyToken.errors?.nonFieldErrors?.[0]?.code);
    }
    expect(verify).toEqual([...Array(5).fill('invalid_token'), 'rate_limited']);
  });
});

describe('the per-client request ceiling and TRUST_PROXY', () => {
  it('answers 429 with Retry-After over the ceiling, and ignores X-Forwarded-For unless the proxy is trusted', async () => {
    const api = await createTestInstance('embedded', {
      RATE_LIMIT_REQUESTS_IP: '5/60',
      TRUST_PROXY: 'false',
    });
    try {
      const statuses = [];
      let last: Response | undefined;
      for (let index = 0; index < 6; index++) {
        // A different forwarded address each time: not trusted, so all count as 127.0.0.1.
        last = await fetch(`${api.url}/graphql?query=%7B__typename%7D`, {
          headers: { 'x-forwarded-for': `192.0.2.${index}` },
        });
        statuses.push(last.status);
      }
      expect(statuses).toEqual([200, 200, 200, 200, 200, 429]);
      expect(Number(last!.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(await last!.json()).toMatchObject({
        errors: [{ extensions: { code: 'RATE_LIMITED', retryAfter: expect.any(Number) } }],
      });
      // Health checks are not behind the GraphQL ceiling.
      expect((await fetch(`${api.url}/healthz`)).status).toBe(200);
    } finally {
      await api.close();
    }
  });
});
