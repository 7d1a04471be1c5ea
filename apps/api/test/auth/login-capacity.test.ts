import { MeDocument, TokenAuthDocument } from '@gql-auth/sdk';
import { print } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestInstance, type TestInstance } from '../support/test-instance.js';
import { createUser, PASSWORD, signIn } from '../tokens/fixtures.js';

describe('password hashing at capacity', () => {
  let api: TestInstance;
  let username: string;

  beforeAll(async () => {
    // A real cost (tens of ms per hash), one hash at a time and one waiting: a burst must overflow.
    api = await createTestInstance('postgres+redis', {
      BCRYPT_COST: '10',
      PASSWORD_HASH_CONCURRENCY: '1',
      PASSWORD_HASH_QUEUE: '1',
      PASSWORD_HASH_MAX_WAIT_MS: '5000',
    });
    username = await createUser(api, 'busy');
  });
  afterAll(() => api?.close());

  it('answers excess logins 503 SERVICE_BUSY with Retry-After; the rest succeed; sessions keep working', async () => {
    const session = await signIn(api, username);
    const login = () =>
      fetch(`${api.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json' },
        body: JSON.stringify({
          query: print(TokenAuthDocument),
          variables: { username, password: PASSWORD },
        }),
      });
    const burst = Array.from({ length: 8 }, login);
    const me = await api.gql(MeDocument, {}, { token: session.token });
    expect(me.data?.me?.username).toBe(username);

    const responses = await Promise.all(burst);
    const bodies = await Promise.all(
      responses.map(async (response) => ({
        status: response.status,
        retryAfter: response.headers.get('retry-after'),
        body: (await response.json()) as {
          data?: { tokenAuth: { success: boolean } | null };
          errors?: Array<{ extensions?: Record<string, unknown> }>;
        },
      })),
    );
    const busy = bodies.filter((answer) => answer.status === 503);
    const ok = bodies.filter((answer) => answer.status === 200);
    expect(busy.length + ok.length).toBe(8);
    expect(ok.length).toBeGreaterThanOrEqual(2); // the one running and the one waiting
    expect(busy.length).toBeGreaterThanOrEqual(1);
    for (const answer of ok) expect(answer.body.data?.tokenAuth?.success).toBe(true);
    for (const answer of busy) {
      expect(answer.retryAfter).toBe('5');
      expect(answer.body.data?.tokenAuth ?? null).toBeNull(); // no payload: nothing was done
      expect(answer.body.errors?.[0]?.extensions).toMatchObject({
        code: 'SERVICE_BUSY',
        retryAfterSeconds: 5,
      });
    }
    // Once the line drains, a login goes through again.
    expect((await api.gql(TokenAuthDocument, { username, password: PASSWORD })).data?.tokenAuth.success).toBe(
      true,
    );
  });
});
