import type { TestInstance } from '../../../apps/api/test/support/test-instance.js';
import { RegisterDocument } from '../src/index.js';

export const PASSWORD = 'correct-Horse-42';

/** A fetch that counts the operations it carries, by operationName, for "exactly one refresh" checks. */
export function countingFetch() {
  const counts = new Map<string, number>();
  const authorizations: Array<string | null> = [];
  const fetchFn: typeof fetch = async (input, init) => {
    const body = JSON.parse(String(init?.body ?? '{}')) as { operationName?: string };
    const name = body.operationName ?? '?';
    counts.set(name, (counts.get(name) ?? 0) + 1);
    authorizations.push(new Headers(init?.headers).get('authorization'));
    return fetch(input, init);
  };
  return { fetch: fetchFn, count: (name: string) => counts.get(name) ?? 0, authorizations, counts };
}

/** Registers a user through the API itself (not the client under test). */
export async function registerUser(api: TestInstance, username: string) {
  const { data, errors } = await api.gql(RegisterDocument, {
    email: `${username}@example.com`,
    username,
    password1: PASSWORD,
    password2: PASSWORD,
  });
  if (errors || !data?.register.success)
    throw new Error(`register ${username}: ${JSON.stringify(errors ?? data)}`);
}
