import {
  RegisterDocument,
  ResendActivationEmailDocument,
  SendPasswordResetEmailDocument,
  SendSecondaryEmailActivationDocument,
  VerifyAccountDocument,
} from '@gql-auth/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser } from '../support/fixtures.js';
import { unreachableSmtpUrl } from '../support/smtp-capture.js';
import {
  type AccountKit,
  codeOf,
  login,
  PASSWORD,
  register,
  startAccountKit,
  verifiedUser,
} from './account-kit.js';

const EMAIL_FAIL = { nonFieldErrors: [{ code: 'email_fail', message: 'Failed to send email.' }] };

describe('an SMTP server that refuses mail: email_fail, and nothing written', () => {
  let kit: AccountKit;
  beforeAll(async () => {
    kit = await startAccountKit('postgres+redis');
  });
  afterAll(async () => {
    await kit?.close();
  });

  const countUsers = async () => {
    const rows = await kit.api.services.db.orm.em
      .fork()
      .getConnection()
      .execute<Array<{ n: string }>>('select count(*) as n from "user"');
    return Number(rows[0]!.n);
  };

  it('register answers email_fail and leaves no user; the same names register fine afterwards', async () => {
    const before = await countUsers();
    kit.smtp.mode = 'refuse';
    let answer: Awaited<ReturnType<typeof kit.api.gql<unknown, unknown>>>;
    try {
      answer = await kit.api.gql(RegisterDocument, {
        email: 'refused@example.com',
        username: 'refused',
        password1: PASSWORD,
        password2: PASSWORD,
      });
    } finally {
      kit.smtp.mode = 'accept';
    }
    expect(answer.data).toEqual({
      register: { success: false, errors: EMAIL_FAIL, token: null, refreshToken: null },
    });
    expect(await countUsers()).toBe(before);
    expect(codeOf((await login(kit, 'refused')).errors)).toEqual(['invalid_credentials']);
    await register(kit, 'refused');
    expect(await countUsers()).toBe(before + 1);
  });

  it('a failed resend rolls back: the earlier activation link still works', async () => {
    const first = await register(kit, 'pending');
    kit.smtp.mode = 'refuse';
    try {
      const resend = await kit.api.gql(ResendActivationEmailDocument, { email: 'pending@example.com' });
      expect(resend.data?.resendActivationEmail).toEqual({ success: false, errors: EMAIL_FAIL });
    } finally {
      kit.smtp.mode = 'accept';
    }
    expect((await kit.api.gql(VerifyAccountDocument, { token: first })).data?.verifyAccount.success).toBe(
      true,
    );
  });

  it('password reset and secondary email activation answer email_fail for known users', async () => {
    const user = await verifiedUser(kit, 'mailless');
    kit.smtp.clear();
    kit.smtp.mode = 'refuse';
    try {
      const reset = await kit.api.gql(SendPasswordResetEmailDocument, { email: user.email });
      expect(reset.data?.sendPasswordResetEmail).toEqual({ success: false, errors: EMAIL_FAIL });
      const secondary = await kit.api.gql(
        SendSecondaryEmailActivationDocument,
        { email: 'mailless.alt@example.org', password: PASSWORD },
        { token: user.token },
      );
      expect(secondary.data?.sendSecondaryEmailActivation).toEqual({ success: false, errors: EMAIL_FAIL });
    } finally {
      kit.smtp.mode = 'accept';
    }
    expect(kit.smtp.mails).toHaveLength(0);
    const tokens = await kit.api.services.db.orm.em
      .fork()
      .getConnection()
      .execute('select purpose from "email_token" where user_id = ? and purpose <> ?', [
        user.pk,
        'activation',
      ]);
    expect(tokens).toEqual([]);
  });

  it('while mail fails, unknown and verified addresses answer email_fail too (no enumeration)', async () => {
    const user = await verifiedUser(kit, 'outage');
    const answers = async () => ({
      resetKnown: (await kit.api.gql(SendPasswordResetEmailDocument, { email: user.email })).data
        ?.sendPasswordResetEmail,
      resetUnknown: (await kit.api.gql(SendPasswordResetEmailDocument, { email: 'nobody.here@example.com' }))
        .data?.sendPasswordResetEmail,
      resendUnknown: (await kit.api.gql(ResendActivationEmailDocument, { email: 'nobody.here@example.com' }))
        .data?.resendActivationEmail,
      resendVerified: (await kit.api.gql(ResendActivationEmailDocument, { email: user.email })).data
        ?.resendActivationEmail,
    });
    kit.smtp.mode = 'refuse';
    try {
      const failing = await answers();
      for (const answer of Object.values(failing))
        expect(answer).toEqual({ success: false, errors: EMAIL_FAIL });
    } finally {
      kit.smtp.mode = 'accept';
    }
    // The relay is back: the first delivered mail ends the failing state for every address.
    const recovered = await answers();
    for (const answer of Object.values(recovered)) expect(answer).toEqual({ success: true, errors: null });
  });

  it('one refused recipient fails only its own request: other and unknown addresses answer as usual', async () => {
    const refused = await verifiedUser(kit, 'bouncing');
    const other = await verifiedUser(kit, 'receiving');
    kit.smtp.refusedRecipients.add(refused.email.toLowerCase());
    try {
      const connections = kit.smtp.connections;
      const reset = (email: string) =>
        kit.api
          .gql(SendPasswordResetEmailDocument, { email })
          .then(({ data }) => data?.sendPasswordResetEmail);
      expect(await reset(refused.email)).toEqual({ success: false, errors: EMAIL_FAIL });
      // Before the fix, the refusal marked the relay as failing: unknown addresses answered email_fail
      // while known ones succeeded, which told an attacker who has an account.
      for (const email of ['ghost1@example.com', 'ghost2@example.com', other.email, 'ghost3@example.com']) {
        expect({ email, answer: await reset(email) }).toEqual({
          email,
          answer: { success: true, errors: null },
        });
      }
      expect(kit.smtp.lastTo(other.email).subject).toContain('Reset');
      // Two deliveries attempted (refused, other), and no relay check of its own for the unknown ones:
      // the last delivery vouches for the relay for a short time.
      expect(kit.smtp.connections - connections).toBe(2);
    } finally {
      kit.smtp.refusedRecipients.clear();
    }
  });

  it('an unreachable SMTP server answers email_fail too', async () => {
    const closed = await startAccountKit('postgres+redis', { SMTP_URL: await unreachableSmtpUrl() });
    try {
      const { data } = await closed.api.gql(RegisterDocument, {
        email: 'nowhere@example.com',
        username: 'nowhere',
        password1: PASSWORD,
        password2: PASSWORD,
      });
      expect(data?.register.errors).toEqual(EMAIL_FAIL);
      // From the very first request, unknown addresses get the same answer as known ones would.
      const reset = await closed.api.gql(SendPasswordResetEmailDocument, { email: 'ghost@example.com' });
      expect(reset.data?.sendPasswordResetEmail).toEqual({ success: false, errors: EMAIL_FAIL });
      const resend = await closed.api.gql(ResendActivationEmailDocument, { email: 'ghost@example.com' });
      expect(resend.data?.resendActivationEmail).toEqual({ success: false, errors: EMAIL_FAIL });
    } finally {
      await closed.close();
    }
  });
});

describe('email validation and no enumeration', () => {
  let kit: AccountKit;
  beforeAll(async () => {
    kit = await startAccountKit('postgres+redis');
  });
  afterAll(async () => {
    await kit?.close();
  });

  const overLong = `${'a'.repeat(64)}@${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(63)}.io`;
  const malformed = [
    'not an email',
    'a@b',
    '@example.com',
    'a@example.com\nBcc: x@evil.io',
    'a..b@example.com',
  ];

  it('rejects over-long and malformed emails with max_length / invalid on every email argument', async () => {
    const user = await verifiedUser(kit, 'validator');
    const calls = {
      register: async (email: string) =>
        (
          await kit.api.gql(RegisterDocument, {
            email,
            username: 'someone',
            password1: PASSWORD,
            password2: PASSWORD,
          })
        ).data!.register.errors,
      resend: async (email: string) =>
        (await kit.api.gql(ResendActivationEmailDocument, { email })).data!.resendActivationEmail.errors,
      reset: async (email: string) =>
        (await kit.api.gql(SendPasswordResetEmailDocument, { email })).data!.sendPasswordResetEmail.errors,
      secondary: async (email: string) =>
        (
          await kit.api.gql(
            SendSecondaryEmailActivationDocument,
            { email, password: PASSWORD },
            { token: user.token },
          )
        ).data!.sendSecondaryEmailActivation.errors,
    };
    expect(overLong.length).toBeGreaterThan(254);
    for (const [name, call] of Object.entries(calls)) {
      expect({ name, codes: codeOf(await call(overLong), 'email') }).toEqual({ name, codes: ['max_length'] });
      expect({ name, codes: codeOf(await call(''), 'email') }).toEqual({ name, codes: ['required'] });
      for (const email of malformed) {
        expect({ name, email, codes: codeOf(await call(email), 'email') }).toEqual({
          name,
          email,
          codes: ['invalid'],
        });
      }
    }
    expect(kit.smtp.mails.filter((mail) => mail.to.includes('someone@example.com'))).toHaveLength(0);
  });

  it('answers unknown, known, verified and unverified addresses alike, in about the same time', async () => {
    const known = await verifiedUser(kit, 'known');
    await register(kit, 'fresh');
    const addresses = {
      resend: ['fresh@example.com', 'known@example.com', 'ghost@example.com'],
      reset: ['known@example.com', 'fresh@example.com', 'ghost@example.com'],
    };
    for (const email of addresses.resend) {
      const { data } = await kit.api.gql(ResendActivationEmailDocument, { email });
      expect(data).toEqual({ resendActivationEmail: { success: true, errors: null } });
    }
    for (const email of addresses.reset) {
      const { data } = await kit.api.gql(SendPasswordResetEmailDocument, { email });
      expect(data).toEqual({ sendPasswordResetEmail: { success: true, errors: null } });
    }
    // Only real accounts got mail: an activation for the unverified one, resets for both.
    expect(kit.smtp.mails.some((mail) => mail.to.includes('ghost@example.com'))).toBe(false);
    expect(kit.smtp.lastTo(known.email).subject).toContain('Reset');

    // Timing: interleave known and unknown addresses; medians must be close.
    const time = async (email: string) => {
      const started = performance.now();
      await kit.api.gql(SendPasswordResetEmailDocument, { email });
      return performance.now() - started;
    };
    const knownTimes: number[] = [];
    const unknownTimes: number[] = [];
    for (let i = 0; i < 12; i++) {
      knownTimes.push(await time(known.email));
      unknownTimes.push(await time(`ghost${i}@example.com`));
    }
    const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
    const [k, u] = [median(knownTimes), median(unknownTimes)];
    expect(Math.abs(k - u), `known ${k.toFixed(1)} ms, unknown ${u.toFixed(1)} ms`).toBeLessThan(
      Math.max(10, k * 0.5),
    );
  });
});

describe('no timing oracle at start-up', () => {
  const RELAY_MS = 150;
  let kit: AccountKit;
  beforeAll(async () => {
    kit = await startAccountKit('postgres+redis');
    kit.smtp.connectDelayMs = RELAY_MS;
  });
  afterAll(async () => {
    await kit?.close();
  });

  const time = async (email: string) => {
    const started = performance.now();
    const { data } = await kit.api.gql(SendPasswordResetEmailDocument, { email });
    expect(data).toEqual({ sendPasswordResetEmail: { success: true, errors: null } });
    return performance.now() - started;
  };

  it('before the process has sent any mail, unknown addresses already cost what a send does', async () => {
    // Made without mail, so the process has measured no send when the first unknown address comes.
    const known = await createUser(kit.api, { username: 'coldstart' });
    expect(kit.smtp.mails).toHaveLength(0);
    // The first answers: the relay check and the mimic's own measurement happen in them.
    const firstUnknown = await time('cold-ghost-1@example.com');
    const secondUnknown = await time('cold-ghost-2@example.com');
    expect(kit.smtp.mails).toHaveLength(0);
    const firstKnown = await time(known.email);
    expect(kit.smtp.lastTo(known.email).subject).toContain('Reset');
    const figures = `unknown ${firstUnknown.toFixed(0)} / ${secondUnknown.toFixed(0)} ms, known ${firstKnown.toFixed(0)} ms`;
    // Every answer pays the relay's distance once: a send connects, and so does the measurement the
    // unknown answers imitate (before, they answered in a fixed 50 ms until the first real send).
    for (const ms of [firstUnknown, secondUnknown, firstKnown]) expect(ms, figures).toBeGreaterThan(RELAY_MS);
    expect(Math.abs(secondUnknown - firstKnown), figures).toBeLessThan(RELAY_MS / 2);
  });
});
