import {
  MeDocument,
  PasswordChangeDocument,
  PasswordResetDocument,
  RefreshTokenDocument,
  SendPasswordResetEmailDocument,
  SwapEmailsDocument,
  TokenAuthDocument,
} from '@gql-auth/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type AccountKit,
  addSecondaryEmail,
  NEW_PASSWORD,
  PASSWORD,
  startAccountKit,
  verifiedUser,
} from '../account/account-kit.js';
import type { CapturedMail } from '../support/smtp-capture.js';

const FIREFOX = 'Mozilla/5.0 (X11; Linux x86_64; rv:132.0) Gecko/20100101 Firefox/132.0';
const CHROME =
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36';

/** Notices are sent after the answer, not before: wait for the one wanted (or fail after 5 s). */
async function noticeTo(kit: AccountKit, address: string, subject: RegExp): Promise<CapturedMail> {
  for (let i = 0; i < 250; i++) {
    const mail = kit.smtp.mails.find(
      (m) => subject.test(m.subject) && m.to.some((to) => to.toLowerCase() === address.toLowerCase()),
    );
    if (mail) return mail;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(
    `no mail "${subject}" to ${address}; got: ${kit.smtp.mails.map((m) => m.subject).join(' | ')}`,
  );
}

const subjects = (kit: AccountKit, address: string) =>
  kit.smtp.mails.filter((m) => m.to.includes(address)).map((m) => m.subject);

describe('security notices by email', () => {
  let kit: AccountKit;
  let n = 0;
  const fresh = () => `notice${++n}${Date.now().toString(36)}`;

  beforeAll(async () => {
    kit = await startAccountKit('postgres+redis');
  });
  afterAll(async () => {
    await kit?.close();
  });

  it('password changed: to the account, with a way to secure it', async () => {
    const user = await verifiedUser(kit, fresh());
    const { data } = await kit.api.gql(
      PasswordChangeDocument,
      { oldPassword: PASSWORD, newPassword1: NEW_PASSWORD, newPassword2: NEW_PASSWORD },
      { token: user.token },
    );
    expect(data?.passwordChange.success).toBe(true);
    const mail = await noticeTo(kit, user.email, /^Your Test Site password was changed$/);
    expect(mail.text).toContain('http://app.test/password-forgot');
    expect(mail.text).toMatch(/changed on \d{4}-\d\d-\d\d \d\d:\d\d UTC/);
    expect(mail.html).toContain('href="http://app.test/password-forgot"');
  });

  it('password reset: the same notice', async () => {
    const user = await verifiedUser(kit, fresh());
    await kit.api.gql(SendPasswordResetEmailDocument, { email: user.email });
    const token = kit.smtp.tokenFor(user.email, 'password-reset');
    const reset = await kit.api.gql(PasswordResetDocument, {
      token,
      newPassword1: NEW_PASSWORD,
      newPassword2: NEW_PASSWORD,
    });
    expect(reset.data?.passwordReset.success).toBe(true);
    await noticeTo(kit, user.email, /^Your Test Site password was changed$/);
  });

  it('primary email changed: to the OLD address', async () => {
    const user = await verifiedUser(kit, fresh());
    const second = user.email.replace('@', '.second@');
    await addSecondaryEmail(kit, user, second);
    const swapped = await kit.api.gql(SwapEmailsDocument, { password: PASSWORD }, { token: user.token });
    expect(swapped.data?.swapEmails.success).toBe(true);
    const mail = await noticeTo(kit, user.email, /email address of your Test Site account was changed/);
    expect(mail.text).toContain('http://app.test/password-forgot');
    expect(subjects(kit, second).some((subject) => /was changed/.test(subject))).toBe(false);
  });

  it('sign-in from a new device (user-agent family + coarse network), not from a known one', async () => {
    const username = fresh();
    const user = await verifiedUser(kit, username); // the first sign-in: no notice
    const signIn = (headers: Record<string, string>) =>
      kit.api.request(TokenAuthDocument, { username, password: PASSWORD }, headers);
    await signIn({ 'user-agent': FIREFOX, 'x-forwarded-for': '203.0.113.77' });
    const mail = await noticeTo(kit, user.email, /^New sign-in to your Test Site account$/);
    expect(mail.text).toContain('Firefox 132 on Linux, network 203.0.113.0/24');
    expect(mail.text).not.toContain('203.0.113.77');
    // Same family (a newer version), same /24: known. Another browser: new.
    await signIn({ 'user-agent': FIREFOX.replaceAll('132.0', '133.0'), 'x-forwarded-for': '203.0.113.9' });
    await signIn({ 'user-agent': CHROME, 'x-forwarded-for': '203.0.113.9' });
    await noticeTo(kit, user.email, /^New sign-in/);
    await new Promise((resolve) => setTimeout(resolve, 300));
    const notices = kit.smtp.mails.filter((m) => m.to.includes(user.email) && /^New sign-in/.test(m.subject));
    expect(notices.map((m) => /Chrome 131 on Windows/.test(m.text))).toEqual([false, true]);
  });

  it('refresh-token reuse detected: the session was ended', async () => {
    const user = await verifiedUser(kit, fresh());
    const rotated = await kit.api.gql(RefreshTokenDocument, { refreshToken: user.refreshToken });
    // The successor serves a request: the old token coming back after that is a theft sign.
    await kit.api.gql(MeDocument, {}, { token: rotated.data!.refreshToken.token! });
    kit.api.clock.advance(10_001);
    const replay = await kit.api.gql(RefreshTokenDocument, { refreshToken: user.refreshToken });
    expect(replay.data?.refreshToken.success).toBe(false);
    const mail = await noticeTo(kit, user.email, /^We signed a session of your Test Site account out$/);
    expect(mail.text).toContain('used again after it had been replaced');
  });

  it('never holds up or fails the operation: a refusing SMTP server changes no answer', async () => {
    const user = await verifiedUser(kit, fresh());
    kit.smtp.mode = 'refuse';
    try {
      const { data } = await kit.api.gql(
        PasswordChangeDocument,
        { oldPassword: PASSWORD, newPassword1: NEW_PASSWORD, newPassword2: NEW_PASSWORD },
        { token: user.token },
      );
      expect(data?.passwordChange.success).toBe(true);
      await new Promise((resolve) => setTimeout(resolve, 300));
    } finally {
      kit.smtp.mode = 'accept';
    }
  });
});

describe('security notices turned off', () => {
  let kit: AccountKit;
  beforeAll(async () => {
    kit = await startAccountKit('postgres+redis', {
      NOTIFY_NEW_DEVICE: 'false',
      NOTIFY_REFRESH_REUSE: 'false',
      NOTIFY_EMAIL_CHANGED: 'false',
    });
  });
  afterAll(async () => {
    await kit?.close();
  });

  it('sends only the ones left on', async () => {
    const username = `quiet${Date.now().toString(36)}`;
    const user = await verifiedUser(kit, username);
    await kit.api.request(TokenAuthDocument, { username, password: PASSWORD }, { 'user-agent': FIREFOX });
    await kit.api.gql(RefreshTokenDocument, { refreshToken: user.refreshToken });
    kit.api.clock.advance(10_001);
    await kit.api.gql(RefreshTokenDocument, { refreshToken: user.refreshToken });
    const fresh = (await kit.api.gql(TokenAuthDocument, { username, password: PASSWORD })).data!.tokenAuth;
    await kit.api.gql(
      PasswordChangeDocument,
      { oldPassword: PASSWORD, newPassword1: NEW_PASSWORD, newPassword2: NEW_PASSWORD },
      { token: fresh.token! },
    );
    // The one still on arrives; by then the others would have too (they were triggered earlier).
    await noticeTo(kit, user.email, /password was changed/);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(subjects(kit, user.email)).toEqual([
      'Activate your Test Site account',
      'Your Test Site password was changed',
    ]);
  });
});
