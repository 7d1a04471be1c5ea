import { RegisterDocument, TokenAuthDocument } from '@gql-auth/sdk';
import { expect } from 'vitest';
import type { TestInstance } from '../support/test-instance.js';

export const PASSWORD = 'correct-Horse-42';

export interface SignedIn {
  userId: number;
  token: string;
  refreshToken: string;
  payload: Record<string, unknown>;
}

let counter = 0;

/** Registers a fresh user (unique per call) and returns its id. */
export async function createUser(api: TestInstance, name = 'user'): Promise<string> {
  const username = `${name}${++counter}${Date.now().toString(36)}`;
  const { data } = await api.gql(RegisterDocument, {
    email: `${username}@example.com`,
    username,
    password1: PASSWORD,
    password2: PASSWORD,
  });
  expect(data?.register.success).toBe(true);
  return username;
}

/** Signs in (a new session) with optional request headers such as User-Agent or X-Forwarded-For. */
export async function signIn(
  api: TestInstance,
  username: string,
  headers: Record<string, string> = {},
): Promise<SignedIn> {
  const { data } = await api.request(TokenAuthDocument, { username, password: PASSWORD }, headers);
  const result = data?.tokenAuth;
  expect(result?.success).toBe(true);
  return {
    userId: result!.user!.pk,
    token: result!.token!,
    refreshToken: result!.refreshToken!,
    payload: result!.payload!,
  };
}

/** The ExpectedErrors code of a failed payload. */
export function codeOf(payload: { errors?: Record<string, Array<{ code: string }>> | null } | undefined) {
  const errors = payload?.errors ?? {};
  return Object.values(errors)[0]?.[0]?.code;
}
