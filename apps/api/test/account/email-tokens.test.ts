import {
  PasswordChangeDocument,
  PasswordResetDocument,
  PasswordSetDocument,
  ResendActivationEmailDocument,
  SendPasswordResetEmailDocument,
  SendSecondaryEmailActivationDocument,
  VerifyAccountDocument,
  VerifySecondaryEmailDocument,
} from '@gql-auth/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { digestToken } from '../../src/modules/tokens/token-store.js';
import {
  type AccountKit,
  codeOf,
  DAY,
  HOUR,
  login,
  NEW_PASSWORD,
  PASSWORD,
  register,
  startAccountKit,
  verifiedUser,
} from './account-kit.js';

describe('email tokens: single-use, purpose-bound, expiring, digests only (postgres+redis)', () => {
  let kit: AccountKit;
  beforeAll(async () => {
    kit = await startAccountKit('postgres+redis');
  });
  afterAll(async () => {
    await kit?.close();
  });

  const verify = async (token: string) =>
    (await kit.api.gql(VerifyAccountDocument, { token })).data!.verifyAccount;
  const reset = async (token: string, password = NEW_PASSWORD) =>
    (await kit.api.gql(PasswordResetDocument, { token, newPassword1: password, newPassword2: password }))
      .data!.passwordReset;
  const requestReset = async (email: string) => {
    const { data } = await kit.api.gql(SendPasswordResetEmailDocument, { email });
    expect(data?.sendPasswordResetEmail).toEqual({ success: true, errors: null });
    return kit.smtp.tokenFor(email, 'password-reset');
  };

  it('activation: replay answers already_verified, garbage invalid_token', async () => {
    const token = await register(kit, 'replay');
    expect(await verify(token)).toEqual({ success: true, errors: null });
    expect(await verify(token)).toEqual({
      success: false,
      errors: { nonFieldErrors: [{ code: 'already_verified', message: 'Account already verified.' }] },
    });
    for (const garbage of ['', 'nope', `${token}x`, token.slice(1)]) {
      expect(codeOf((await verify(garbage)).errors)).toEqual(['invalid_token']);
    }
  });

  it('activation expires after 7 days (manual clock); a resent link supersedes the old one', async () => {
    const old = await register(kit, 'late');
    kit.api.clock.advance(7 * DAY);
    try {
      expect(codeOf((await verify(old)).errors)).toEqual(['expired_token']);
      const resent = await kit.api.gql(ResendActivationEmailDocument, { email: 'late@example.com' });
      expect(resent.data?.resendActivationEmail).toEqual({ success: true, errors: null });
      const mail = kit.smtp.lastTo('late@example.com');
      expect(mail.subject).toBe('Your new Test Site activation link');
      const fresh = kit.smtp.tokenFor('late@example.com', 'activate');
      expect(fresh).not.toBe(old);
      kit.api.clock.advance(7 * DAY - 1000);
      expect(await verify(fresh)).toEqual({ success: true, errors: null });
    } finally {
      kit.api.clock.advance(-(14 * DAY - 1000));
    }
  });

  it('a resent activation link leaves the few newest working; an older one is invalid_token until verified', async () => {
    const first = await register(kit, 'twice');
    const resend = async () => {
      kit.api.clock.advance(1000);
      await kit.api.gql(ResendActivationEmailDocument, { email: 'twice@example.com' });
      return kit.smtp.tokenFor('twice@example.com', 'activate');
    };
    const second = await resend();
    const third = await resend();
    const fourth = await resend(); // the first link is now the fourth newest: superseded
    expect(new Set([first, second, third, fourth]).size).toBe(4);
    expect(codeOf((await verify(first)).errors)).toEqual(['invalid_token']);
    expect((await verify(second)).success).toBe(true);
    expect(codeOf((await verify(first)).errors)).toEqual(['already_verified']);
    expect(codeOf((await verify(fourth)).errors)).toEqual(['already_verified']);
  });

  it('a token of one purpose is invalid for every other', async () => {
    const user = await verifiedUser(kit, 'purpose');
    const resetToken = await requestReset(user.email);
    await kit.api.gql(
      SendSecondaryEmailActivationDocument,
      { email: 'purpose.alt@example.org', password: PASSWORD },
      { token: user.token },
    );
    const secondaryToken = kit.smtp.tokenFor('purpose.alt@example.org', 'activate-secondary-email');
    const activation = await register(kit, 'purpose2');

    expect(codeOf((await verify(resetToken)).errors)).toEqual(['invalid_token']);
    expect(codeOf((await reset(activation)).errors)).toEqual(['invalid_token']);
    expect(codeOf((await reset(secondaryToken)).errors)).toEqual(['invalid_token']);
    const set = await kit.api.gql(PasswordSetDocument, {
      token: resetToken,
      newPassword1: NEW_PASSWORD,
      newPassword2: NEW_PASSWORD,
    });
    expect(codeOf(set.data?.passwordSet.errors)).toEqual(['invalid_token']);
    const secondary = await kit.api.gql(VerifySecondaryEmailDocument, { token: resetToken });
    expect(codeOf(secondary.data?.verifySecondaryEmail.errors)).toEqual(['invalid_token']);
    // None of them was spent by the misuse.
    expect((await reset(resetToken)).success).toBe(true);
    expect((await verify(activation)).success).toBe(true);
  });

  it('password reset: single use, expires after 1 hour, invalid input does not spend it', async () => {
    const user = await verifiedUser(kit, 'resetter');
    const token = await requestReset(user.email);
    const mismatch = await kit.api.gql(PasswordResetDocument, {
      token,
      newPassword1: NEW_PASSWORD,
      newPassword2: 'something-Else-9',
    });
    expect(mismatch.data?.passwordReset.errors).toEqual({
      newPassword2: [{ code: 'password_mismatch', message: 'The two password fields didn’t match.' }],
    });
    const weak = await reset(token, '12345678');
    expect(codeOf(weak.errors, 'newPassword2')).toEqual(
      expect.arrayContaining(['password_too_common', 'password_entirely_numeric']),
    );
    expect(await reset(token)).toEqual({ success: true, errors: null });
    expect(codeOf((await reset(token, 'another-Pass-55')).errors)).toEqual(['invalid_token']);

    const late = await requestReset(user.email);
    kit.api.clock.advance(HOUR);
    try {
      expect(codeOf((await reset(late, 'another-Pass-55')).errors)).toEqual(['expired_token']);
    } finally {
      kit.api.clock.advance(-HOUR);
    }
    expect((await login(kit, 'resetter', NEW_PASSWORD)).success).toBe(true);
  });

  it('reset links cannot be sabotaged: a stranger’s requests leave the owner’s link working', async () => {
    const user = await verifiedUser(kit, 'sabotaged');
    const owners = await requestReset(user.email);
    // Anyone may ask for the address: twice more, and the owner's link still works.
    await requestReset(user.email);
    kit.api.clock.advance(1000);
    const latest = await requestReset(user.email);
    expect(await reset(owners)).toEqual({ success: true, errors: null });
    // Single use, and the password change killed every other link too.
    expect(codeOf((await reset(owners, 'another-Pass-55')).errors)).toEqual(['invalid_token']);
    expect(codeOf((await reset(latest, 'another-Pass-55')).errors)).toEqual(['invalid_token']);
  });

  it('only the three newest reset links stay valid: a fourth request supersedes the oldest', async () => {
    const user = await verifiedUser(kit, 'fourlinks');
    const links: string[] = [];
    for (let i = 0; i < 4; i++) {
      kit.api.clock.advance(1000);
      links.push(await requestReset(user.email));
    }
    expect(codeOf((await reset(links[0]!)).errors)).toEqual(['invalid_token']);
    expect((await reset(links[1]!)).success).toBe(true);
  });

  it('every reset token dies when the password changes', async () => {
    const user = await verifiedUser(kit, 'changer');
    const older = await requestReset(user.email);
    const newer = await requestReset(user.email);
    kit.api.clock.advance(1000);
    const change = await kit.api.gql(
      PasswordChangeDocument,
      { oldPassword: PASSWORD, newPassword1: NEW_PASSWORD, newPassword2: NEW_PASSWORD },
      { token: user.token },
    );
    expect(change.data?.passwordChange.success).toBe(true);
    expect(codeOf((await reset(newer, 'another-Pass-55')).errors)).toEqual(['invalid_token']);
    expect(codeOf((await reset(older, 'another-Pass-55')).errors)).toEqual(['invalid_token']);
  });

  it('secondary email: expires after 1 hour, single use, the address must still be free', async () => {
    const user = await verifiedUser(kit, 'second');
    const send = (email: string) =>
      kit.api.gql(SendSecondaryEmailActivationDocument, { email, password: PASSWORD }, { token: user.token });
    const verifySecondary = async (token: string) =>
      (await kit.api.gql(VerifySecondaryEmailDocument, { token })).data!.verifySecondaryEmail;

    await send('second.late@example.org');
    const late = kit.smtp.tokenFor('second.late@example.org', 'activate-secondary-email');
    kit.api.clock.advance(HOUR);
    try {
      expect(codeOf((await verifySecondary(late)).errors)).toEqual(['expired_token']);
    } finally {
      kit.api.clock.advance(-HOUR);
    }

    await send('contested@example.com');
    const contested = kit.smtp.tokenFor('contested@example.com', 'activate-secondary-email');
    // Someone registers the address before the link is followed.
    await register(kit, 'contested');
    expect(codeOf((await verifySecondary(contested)).errors)).toEqual(['unique']);

    await send('second.ok@example.org');
    const ok = kit.smtp.tokenFor('second.ok@example.org', 'activate-secondary-email');
    expect(await verifySecondary(ok)).toEqual({ success: true, errors: null });
    expect(codeOf((await verifySecondary(ok)).errors)).toEqual(['invalid_token']);

    // Taken addresses are refused up front: anyone's primary, or this user's own secondary.
    expect(
      codeOf((await send('contested@example.com')).data?.sendSecondaryEmailActivation.errors, 'email'),
    ).toEqual(['unique']);
    expect(
      codeOf((await send('SECOND.OK@example.org')).data?.sendSecondaryEmailActivation.errors, 'email'),
    ).toEqual(['unique']);
  });

  it('stores only SHA-256 digests of email tokens', async () => {
    const token = await register(kit, 'digest');
    const rows = await kit.api.services.db.orm.em
      .fork()
      .getConnection()
      .execute<Array<{ digest: string; purpose: string }>>('select * from "email_token"');
    expect(rows.some((row) => row.digest === digestToken(token) && row.purpose === 'activation')).toBe(true);
    expect(JSON.stringify(rows)).not.toContain(token);
  });
});
