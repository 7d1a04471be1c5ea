import {
  ArchiveAccountDocument,
  DeleteAccountDocument,
  MeDocument,
  PasswordChangeDocument,
  PasswordResetDocument,
  RemoveSecondaryEmailDocument,
  SendPasswordResetEmailDocument,
  SendSecondaryEmailActivationDocument,
  SwapEmailsDocument,
  TokenAuthDocument,
  UpdateAccountDocument,
  VerifyAccountDocument,
  VerifySecondaryEmailDocument,
} from '@gql-auth/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppEvents } from '../../src/modules/events/app-events.js';
import { digestToken } from '../../src/modules/tokens/token-store.js';
import { type AccountKit, codeOf, login, NEW_PASSWORD, register, startAccountKit } from './account-kit.js';

const THIRD_PASSWORD = 'quiet-Meadow-913';

describe('account lifecycle through HTTP, real SMTP (postgres+redis)', () => {
  let kit: AccountKit;
  const events: Array<[keyof AppEvents, unknown]> = [];

  beforeAll(async () => {
    kit = await startAccountKit('postgres+redis');
    for (const name of [
      'userRegistered',
      'userVerified',
      'passwordChanged',
      'accountArchived',
      'accountDeleted',
    ] as const) {
      kit.api.services.events.on(name, (payload) => {
        events.push([name, payload]);
      });
    }
  });
  afterAll(async () => {
    await kit?.close();
  });

  const revoked = async (refreshToken: string) =>
    (await kit.api.services.tokenStore.find(digestToken(refreshToken)))?.revokedAt != null;

  it('walks register → verify → reset → change → update → secondary email → archive → delete', async () => {
    const { api, smtp } = kit;

    // Register: the activation email arrives with a link whose last path segment is the token.
    const activation = await register(kit, 'ada');
    const welcome = smtp.lastTo('ada@example.com');
    expect(welcome.subject).toBe('Activate your Test Site account');
    expect(welcome.from).toBe('no-reply@localhost');
    expect(welcome.text).toContain(`http://app.test/activate/${activation}`);
    expect(welcome.html).toContain(`href="http://app.test/activate/${activation}"`);
    expect(welcome.text).toContain('valid for 7 days');
    expect(activation).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(events.at(-1)).toEqual([
      'userRegistered',
      expect.objectContaining({ user: expect.objectContaining({ username: 'ada' }), passwordless: false }),
    ]);

    // Verify, then sign in.
    expect((await api.gql(VerifyAccountDocument, { token: activation })).data?.verifyAccount).toEqual({
      success: true,
      errors: null,
    });
    const first = await login(kit, 'ada');
    expect(first.user).toMatchObject({ verified: true, archived: false });

    // Reset by email, follow the link, sign in with the new password.
    const reset = await api.gql(SendPasswordResetEmailDocument, { email: 'ADA@example.com' });
    expect(reset.data?.sendPasswordResetEmail).toEqual({ success: true, errors: null });
    const resetMail = smtp.lastTo('ada@example.com');
    expect(resetMail.subject).toBe('Reset your Test Site password');
    const resetToken = smtp.tokenFor('ada@example.com', 'password-reset');
    const resetDone = await api.gql(PasswordResetDocument, {
      token: resetToken,
      newPassword1: NEW_PASSWORD,
      newPassword2: NEW_PASSWORD,
    });
    expect(resetDone.data?.passwordReset).toEqual({ success: true, errors: null });
    expect(await revoked(first.refreshToken!)).toBe(true);
    expect((await login(kit, 'ada')).errors).toMatchObject({
      nonFieldErrors: [{ code: 'invalid_credentials' }],
    });
    const second = await login(kit, 'ada', NEW_PASSWORD);
    expect(second.success).toBe(true);

    // Change: every earlier refresh token dies, the caller gets a fresh pair.
    const change = await api.gql(
      PasswordChangeDocument,
      { oldPassword: NEW_PASSWORD, newPassword1: THIRD_PASSWORD, newPassword2: THIRD_PASSWORD },
      { token: second.token! },
    );
    expect(change.data?.passwordChange).toMatchObject({ success: true, errors: null });
    const fresh = change.data!.passwordChange;
    expect(fresh.token).toMatch(/^eyJ/);
    expect(fresh.refreshToken).toMatch(/^rt_/);
    expect(await revoked(second.refreshToken!)).toBe(true);
    expect(await revoked(fresh.refreshToken!)).toBe(false);
    expect((await api.gql(MeDocument, {}, { token: fresh.token! })).data?.me?.username).toBe('ada');
    const session = await login(kit, 'ada', THIRD_PASSWORD);
    expect(session.success).toBe(true);
    const auth = { token: session.token! };

    // Update: omitted fields keep their values.
    const named = await api.gql(UpdateAccountDocument, { firstName: ' Ada ' }, auth);
    expect(named.data?.updateAccount).toMatchObject({
      success: true,
      errors: null,
      user: { firstName: 'Ada', lastName: '' },
    });
    const surnamed = await api.gql(UpdateAccountDocument, { lastName: 'Lovelace' }, auth);
    expect(surnamed.data?.updateAccount.user).toMatchObject({ firstName: 'Ada', lastName: 'Lovelace' });

    // Secondary email: add (mail to the new address), verify, sign in with it, swap, remove.
    const add = await api.gql(
      SendSecondaryEmailActivationDocument,
      { email: 'ada.alt@example.org', password: THIRD_PASSWORD },
      auth,
    );
    expect(add.data?.sendSecondaryEmailActivation).toEqual({ success: true, errors: null });
    expect((await api.gql(MeDocument, {}, auth)).data?.me?.secondaryEmail).toBeNull();
    const secondaryMail = smtp.lastTo('ada.alt@example.org');
    expect(secondaryMail.subject).toBe('Confirm your secondary email for Test Site');
    const secondaryToken = smtp.tokenFor('ada.alt@example.org', 'activate-secondary-email');
    expect(
      (await api.gql(VerifySecondaryEmailDocument, { token: secondaryToken })).data?.verifySecondaryEmail,
    ).toEqual({ success: true, errors: null });
    expect((await api.gql(MeDocument, {}, auth)).data?.me?.secondaryEmail).toBe('ada.alt@example.org');
    const bySecondary = await api.gql(TokenAuthDocument, {
      email: 'Ada.Alt@example.org',
      password: THIRD_PASSWORD,
    });
    expect(bySecondary.data?.tokenAuth).toMatchObject({ success: true, user: { username: 'ada' } });

    const swap = await api.gql(SwapEmailsDocument, { password: THIRD_PASSWORD }, auth);
    expect(swap.data?.swapEmails).toEqual({ success: true, errors: null });
    expect((await api.gql(MeDocument, {}, auth)).data?.me).toMatchObject({
      email: 'ada.alt@example.org',
      secondaryEmail: 'ada@example.com',
    });
    const remove = await api.gql(RemoveSecondaryEmailDocument, { password: THIRD_PASSWORD }, auth);
    expect(remove.data?.removeSecondaryEmail).toEqual({ success: true, errors: null });
    expect((await api.gql(MeDocument, {}, auth)).data?.me?.secondaryEmail).toBeNull();

    // Archive: tokens revoked; a wrong password does not un-archive, a right one does.
    const archive = await api.gql(ArchiveAccountDocument, { password: THIRD_PASSWORD }, auth);
    expect(archive.data?.archiveAccount).toEqual({ success: true, errors: null });
    expect(await revoked(session.refreshToken!)).toBe(true);
    // The session ended with its refresh tokens, so its access token speaks for nobody any more.
    expect((await api.gql(MeDocument, {}, auth)).data?.me).toBeNull();
    const archived = async () =>
      (
        await api.services.db.orm.em
          .fork()
          .getConnection()
          .execute('select archived from "user" where username = ?', ['ada'])
      )[0]?.archived;
    expect(await archived()).toBe(true);
    expect((await login(kit, 'ada', 'wrong-Password-1')).success).toBe(false);
    expect(await archived()).toBe(true);
    const back = await login(kit, 'ada', THIRD_PASSWORD);
    expect(back).toMatchObject({ success: true, unarchiving: true, user: { archived: false } });
    expect((await login(kit, 'ada', THIRD_PASSWORD)).unarchiving).toBe(false);

    // Delete (soft by default): sign-in fails, the access token speaks for nobody, tokens revoked.
    const backAuth = { token: back.token! };
    const del = await api.gql(DeleteAccountDocument, { password: THIRD_PASSWORD }, backAuth);
    expect(del.data?.deleteAccount).toEqual({ success: true, errors: null });
    expect(await revoked(back.refreshToken!)).toBe(true);
    const afterDelete = await login(kit, 'ada', THIRD_PASSWORD);
    expect(codeOf(afterDelete.errors)).toEqual(['invalid_credentials']);
    expect((await api.gql(MeDocument, {}, backAuth)).data?.me).toBeNull();
    const rows = await api.services.db.orm.em
      .fork()
      .getConnection()
      .execute('select is_active from "user" where username = ?', ['ada']);
    expect(rows).toEqual([{ is_active: false }]);
    // A deleted account gets no reset mail, yet the answer is the same. (Security notices of the steps
    // above are sent after their answers and may still arrive: they go to the primary address.)
    smtp.clear();
    const resetDeleted = await api.gql(SendPasswordResetEmailDocument, { email: 'ada.alt@example.org' });
    expect(resetDeleted.data?.sendPasswordResetEmail).toEqual({ success: true, errors: null });
    expect(smtp.mails.filter((mail) => mail.to.includes('ada.alt@example.org'))).toHaveLength(0);

    expect(events.map(([name, payload]) => [name, (payload as { via?: string }).via])).toEqual([
      ['userRegistered', undefined],
      ['userVerified', undefined],
      ['passwordChanged', 'reset'],
      ['passwordChanged', 'change'],
      ['accountArchived', undefined],
      ['accountDeleted', undefined],
    ]);
    expect(events.at(-1)?.[1]).toMatchObject({ hard: false, user: { username: 'ada' } });
  });
});
