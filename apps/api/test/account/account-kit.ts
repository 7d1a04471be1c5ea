import {
  RegisterDocument,
  SendSecondaryEmailActivationDocument,
  TokenAuthDocument,
  VerifyAccountDocument,
  VerifySecondaryEmailDocument,
} from '@gql-auth/sdk';
import { expect } from 'vitest';
import { type SmtpCapture, startSmtpCapture } from '../support/smtp-capture.js';
import { createTestInstance, type TestInstance, type TestMode } from '../support/test-instance.js';

export const PASSWORD = 'correct-Horse-42';
export const NEW_PASSWORD = 'battery-Staple-77';
export const HOUR = 3_600_000;
export const DAY = 24 * HOUR;

/** The API plus an SMTP server on loopback that captures every mail it sends. */
export interface AccountKit {
  api: TestInstance;
  smtp: SmtpCapture;
  close(): Promise<void>;
}

export async function startAccountKit(
  mode: TestMode,
  env: Record<string, string> = {},
  overrides: Parameters<typeof createTestInstance>[2] = {},
): Promise<AccountKit> {
  const smtp = await startSmtpCapture();
  const api = await createTestInstance(
    mode,
    {
      SMTP_URL: smtp.url,
      PUBLIC_APP_URL: 'http://app.test',
      SITE_NAME: 'Test Site',
      ...env,
    },
    overrides,
  );
  return {
    api,
    smtp,
    async close() {
      await api.close();
      await smtp.close();
    },
  };
}

/** Registers `username` (email `<username>@example.com`) and returns the activation token mailed. */
export async function register(kit: AccountKit, username: string): Promise<string> {
  const email = `${username}@example.com`;
  const { data } = await kit.api.gql(RegisterDocument, {
    email,
    username,
    password1: PASSWORD,
    password2: PASSWORD,
  });
  expect(data?.register).toMatchObject({ success: true, errors: null });
  return kit.smtp.tokenFor(email, 'activate');
}

export async function login(kit: AccountKit, username: string, password = PASSWORD) {
  const { data } = await kit.api.gql(TokenAuthDocument, { username, password });
  return data!.tokenAuth;
}

/** A registered, verified, signed-in user: its access and refresh tokens and pk. */
export async function verifiedUser(kit: AccountKit, username: string) {
  const activation = await register(kit, username);
  const verified = await kit.api.gql(VerifyAccountDocument, { token: activation });
  expect(verified.data?.verifyAccount).toEqual({ success: true, errors: null });
  const session = await login(kit, username);
  expect(session.success).toBe(true);
  return {
    token: session.token!,
    refreshToken: session.refreshToken!,
    pk: session.user!.pk,
    email: `${username}@example.com`,
  };
}

/** Adds `address` as the user's secondary email through the mailed link (a verified secondary). */
export async function addSecondaryEmail(kit: AccountKit, user: { token: string }, address: string) {
  await kit.api.gql(
    SendSecondaryEmailActivationDocument,
    { email: address, password: PASSWORD },
    { token: user.token },
  );
  const token = kit.smtp.tokenFor(address, 'activate-secondary-email');
  expect(
    (await kit.api.gql(VerifySecondaryEmailDocument, { token })).data?.verifySecondaryEmail.success,
  ).toBe(true);
}

/** The single error code of `field` in an `errors` payload. */
export function codeOf(
  errors: Record<string, Array<{ code: string }>> | null | undefined,
  field = 'nonFieldErrors',
) {
  return errors?.[field]?.map((error) => error.code);
}
