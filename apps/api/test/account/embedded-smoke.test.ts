import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  ArchiveAccountDocument,
  DeleteAccountDocument,
  PasswordChangeDocument,
  PasswordResetDocument,
  RegisterDocument,
  SendPasswordResetEmailDocument,
  VerifyAccountDocument,
} from '@gql-auth/sdk';
import { simpleParser } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { digestToken } from '../../src/modules/tokens/token-store.js';
import { createTestInstance, type TestInstance } from '../support/test-instance.js';
import {
  type AccountKit,
  codeOf,
  login,
  NEW_PASSWORD,
  PASSWORD,
  startAccountKit,
  verifiedUser,
} from './account-kit.js';

describe('account smoke on the embedded database (PGlite, SQL token store)', () => {
  let kit: AccountKit;
  beforeAll(async () => {
    kit = await startAccountKit('embedded');
  });
  afterAll(async () => {
    await kit?.close();
  });

  it('verify, reset, change, archive, delete; SMTP failure leaves no user', async () => {
    const { api, smtp } = kit;
    const user = await verifiedUser(kit, 'pglite');
    await api.gql(SendPasswordResetEmailDocument, { email: user.email });
    const token = smtp.tokenFor(user.email, 'password-reset');
    const reset = await api.gql(PasswordResetDocument, {
      token,
      newPassword1: NEW_PASSWORD,
      newPassword2: NEW_PASSWORD,
    });
    expect(reset.data?.passwordReset.success).toBe(true);
    expect((await api.services.tokenStore.find(digestToken(user.refreshToken)))?.revokedAt).not.toBeNull();
    const session = await login(kit, 'pglite', NEW_PASSWORD);
    const change = await api.gql(
      PasswordChangeDocument,
      { oldPassword: NEW_PASSWORD, newPassword1: PASSWORD, newPassword2: PASSWORD },
      { token: session.token! },
    );
    expect(change.data?.passwordChange).toMatchObject({
      success: true,
      token: expect.stringMatching(/^eyJ/),
    });
    const auth = { token: change.data!.passwordChange.token! };
    expect(
      (await api.gql(ArchiveAccountDocument, { password: PASSWORD }, auth)).data?.archiveAccount.success,
    ).toBe(true);
    const back = await login(kit, 'pglite');
    expect(back.unarchiving).toBe(true);
    expect(
      (await api.gql(DeleteAccountDocument, { password: PASSWORD }, { token: back.token! })).data
        ?.deleteAccount.success,
    ).toBe(true);
    expect(codeOf((await login(kit, 'pglite')).errors)).toEqual(['invalid_credentials']);

    smtp.mode = 'refuse';
    try {
      const { data } = await api.gql(RegisterDocument, {
        email: 'lost@example.com',
        username: 'lost',
        password1: PASSWORD,
        password2: PASSWORD,
      });
      expect(codeOf(data?.register.errors)).toEqual(['email_fail']);
    } finally {
      smtp.mode = 'accept';
    }
    expect(codeOf((await login(kit, 'lost')).errors)).toEqual(['invalid_credentials']);
  });
});

describe('development outbox (no SMTP_URL): .eml files under <dataDir>/mail/', () => {
  let api: TestInstance;
  beforeAll(async () => {
    api = await createTestInstance('embedded', { PUBLIC_APP_URL: 'http://app.test' });
  });
  afterAll(async () => {
    await api?.close();
  });

  it('writes each message as an .eml whose link activates the account', async () => {
    const { data } = await api.gql(RegisterDocument, {
      email: 'outbox@example.com',
      username: 'outbox',
      password1: PASSWORD,
      password2: PASSWORD,
    });
    expect(data?.register.success).toBe(true);
    const directory = join(api.services.config.dataDir, 'mail');
    const files = (await readdir(directory)).filter((file) => file.endsWith('.eml'));
    expect(files).toHaveLength(1);
    const mail = await simpleParser(await readFile(join(directory, files[0]!)));
    expect(mail.subject).toBe('Activate your Auth Starter account');
    expect(mail.html).toContain('http://app.test/activate/');
    const token = /\/activate\/([A-Za-z0-9_-]+)/.exec(mail.text ?? '')![1]!;
    expect((await api.gql(VerifyAccountDocument, { token })).data?.verifyAccount.success).toBe(true);
  });
});
