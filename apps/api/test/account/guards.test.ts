import {
  ArchiveAccountDocument,
  DeleteAccountDocument,
  MeDocument,
  PasswordChangeDocument,
  RemoveSecondaryEmailDocument,
  SendSecondaryEmailActivationDocument,
  SwapEmailsDocument,
  UpdateAccountDocument,
} from '@gql-auth/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type AccountKit,
  addSecondaryEmail,
  codeOf,
  login,
  NEW_PASSWORD,
  PASSWORD,
  register,
  startAccountKit,
  verifiedUser,
} from './account-kit.js';

const WRONG = 'wrong-Password-1';

describe('guards of protected account operations: login → verified → secondary → password', () => {
  let kit: AccountKit;
  beforeAll(async () => {
    kit = await startAccountKit('postgres+redis');
  });
  afterAll(async () => {
    await kit?.close();
  });

  /** Every protected operation, called with `password` wherever one is confirmed. */
  async function callAll(password: string, token?: string) {
    const { api } = kit;
    const options = token ? { token } : {};
    return {
      passwordChange: (
        await api.gql(
          PasswordChangeDocument,
          { oldPassword: password, newPassword1: NEW_PASSWORD, newPassword2: NEW_PASSWORD },
          options,
        )
      ).data!.passwordChange.errors,
      updateAccount: (await api.gql(UpdateAccountDocument, { firstName: 'X' }, options)).data!.updateAccount
        .errors,
      archiveAccount: (await api.gql(ArchiveAccountDocument, { password }, options)).data!.archiveAccount
        .errors,
      deleteAccount: (await api.gql(DeleteAccountDocument, { password }, options)).data!.deleteAccount.errors,
      sendSecondaryEmailActivation: (
        await api.gql(SendSecondaryEmailActivationDocument, { email: 'new@example.org', password }, options)
      ).data!.sendSecondaryEmailActivation.errors,
      swapEmails: (await api.gql(SwapEmailsDocument, { password }, options)).data!.swapEmails.errors,
      removeSecondaryEmail: (await api.gql(RemoveSecondaryEmailDocument, { password }, options)).data!
        .removeSecondaryEmail.errors,
    };
  }

  it('anonymous and bad tokens answer unauthenticated on every protected operation', async () => {
    for (const token of [undefined, 'not-a-jwt']) {
      const answers = await callAll(PASSWORD, token);
      for (const [operation, errors] of Object.entries(answers)) {
        expect({ operation, errors }).toEqual({
          operation,
          errors: { nonFieldErrors: [{ code: 'unauthenticated', message: 'Unauthenticated.' }] },
        });
      }
    }
  });

  it('an unverified user gets not_verified before any password check', async () => {
    await register(kit, 'unverified');
    const session = await login(kit, 'unverified');
    for (const password of [PASSWORD, WRONG]) {
      const answers = await callAll(password, session.token!);
      for (const [operation, errors] of Object.entries(answers)) {
        expect({ operation, codes: codeOf(errors) }).toEqual({ operation, codes: ['not_verified'] });
      }
    }
  });

  it('swap and remove need a secondary email before the password is even checked', async () => {
    const user = await verifiedUser(kit, 'nosecondary');
    for (const password of [PASSWORD, WRONG]) {
      const swap = await kit.api.gql(SwapEmailsDocument, { password }, { token: user.token });
      expect(codeOf(swap.data?.swapEmails.errors)).toEqual(['secondary_email_required']);
      const remove = await kit.api.gql(RemoveSecondaryEmailDocument, { password }, { token: user.token });
      expect(codeOf(remove.data?.removeSecondaryEmail.errors)).toEqual(['secondary_email_required']);
    }
  });

  it('a wrong (or empty) password fails every confirmed operation on its argument and changes nothing', async () => {
    const user = await verifiedUser(kit, 'careful');
    await addSecondaryEmail(kit, user, 'careful.alt@example.org');
    kit.smtp.clear();

    const answers = await callAll(WRONG, user.token);
    expect(answers.passwordChange).toEqual({
      oldPassword: [{ code: 'invalid_password', message: 'Invalid password.' }],
    });
    expect(answers.updateAccount).toBeNull(); // not password-confirmed
    for (const operation of [
      'archiveAccount',
      'deleteAccount',
      'sendSecondaryEmailActivation',
      'swapEmails',
      'removeSecondaryEmail',
    ] as const) {
      expect({ operation, errors: answers[operation] }).toEqual({
        operation,
        errors: { password: [{ code: 'invalid_password', message: 'Invalid password.' }] },
      });
    }
    const empty = await kit.api.gql(ArchiveAccountDocument, { password: '' }, { token: user.token });
    expect(codeOf(empty.data?.archiveAccount.errors, 'password')).toEqual(['required']);

    expect(kit.smtp.mails).toHaveLength(0);
    const me = (await kit.api.gql(MeDocument, {}, { token: user.token })).data?.me;
    expect(me).toMatchObject({
      isActive: true,
      archived: false,
      email: 'careful@example.com',
      secondaryEmail: 'careful.alt@example.org',
    });
    expect((await login(kit, 'careful')).success).toBe(true);
  });

  it('passwordChange validates the new passwords after the guards', async () => {
    const user = await verifiedUser(kit, 'validator');
    const change = (newPassword1: string, newPassword2: string) =>
      kit.api.gql(
        PasswordChangeDocument,
        { oldPassword: PASSWORD, newPassword1, newPassword2 },
        { token: user.token },
      );
    expect((await change(NEW_PASSWORD, 'other-Thing-8')).data?.passwordChange).toMatchObject({
      success: false,
      token: null,
      errors: { newPassword2: [{ code: 'password_mismatch' }] },
    });
    expect(codeOf((await change('', '')).data?.passwordChange.errors, 'newPassword1')).toEqual(['required']);
    expect(
      codeOf((await change('validator1', 'validator1')).data?.passwordChange.errors, 'newPassword2'),
    ).toContain('password_too_similar');
    expect((await login(kit, 'validator')).success).toBe(true);
  });

  it('updateAccount rejects over-long names and keeps the old values', async () => {
    const user = await verifiedUser(kit, 'namer');
    const { data } = await kit.api.gql(
      UpdateAccountDocument,
      { firstName: 'n'.repeat(151), lastName: 'Ok' },
      { token: user.token },
    );
    expect(data?.updateAccount).toMatchObject({
      success: false,
      user: null,
      errors: { firstName: [{ code: 'max_length' }] },
    });
    expect((await kit.api.gql(MeDocument, {}, { token: user.token })).data?.me).toMatchObject({
      firstName: '',
      lastName: '',
    });
  });
});
