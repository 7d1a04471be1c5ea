import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestInstance, type TestInstance } from '../../../apps/api/test/support/test-instance.js';
import {
  createClient,
  type ErrorCode,
  errorCodes,
  GraphQLRequestError,
  NetworkError,
  type SessionEvents,
} from '../src/index.js';
import { countingFetch, PASSWORD, registerUser } from './support.js';

describe('createClient against the real server', () => {
  let api: TestInstance;
  let url: string;

  beforeAll(async () => {
    api = await createTestInstance('postgres+redis');
    url = `${api.url}/graphql`;
    await registerUser(api, 'grace');
  });
  afterAll(async () => {
    await api?.close();
  });

  it('signs in with typed variables and results, stores the pair and sends it as JWT', async () => {
    const counter = countingFetch();
    const client = createClient({ url, fetch: counter.fetch });
    const signedIn: SessionEvents['signedIn'][] = [];
    client.on('signedIn', (event) => signedIn.push(event));

    const result = await client.tokenAuth({ username: 'grace', password: PASSWORD });
    expect(result).toMatchObject({ success: true, errors: null, user: { username: 'grace' } });
    expect(signedIn).toHaveLength(1);
    const session = await client.getSession();
    expect(session?.token).toBe(result.token);
    expect(session?.refreshToken).toBe(result.refreshToken);
    // Lifetime counted from receipt on this device: 5 minutes, whatever the device clock says.
    expect(session!.accessExpiresAt! - Date.now()).toBeGreaterThan(290_000);

    const me = await client.me();
    expect(me?.username).toBe('grace');
    expect(counter.authorizations.at(-1)).toBe(`JWT ${result.token}`);
    client.close();
  });

  it('returns expected failures as typed error codes, never throws them', async () => {
    const client = createClient({ url });
    const result = await client.tokenAuth({ username: 'grace', password: 'wrong-password-1' });
    expect(result.success).toBe(false);
    const codes: ErrorCode[] = errorCodes(result);
    expect(codes).toEqual(['invalid_credentials']);
    expect(await client.getSession()).toBeNull();
    expect(await client.me()).toBeNull();
  });

  it('throws GraphQLRequestError with the code for refused requests', async () => {
    const client = createClient({ url });
    await client.tokenAuth({ username: 'grace', password: PASSWORD });
    const error = await client.users({ first: 5 }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(GraphQLRequestError);
    expect((error as GraphQLRequestError).code).toBe('FORBIDDEN');
  });

  it('throws NetworkError when the server cannot be reached, keeping the session', async () => {
    const client = createClient({ url });
    await client.tokenAuth({ username: 'grace', password: PASSWORD });
    const offline = createClient({ url: 'http://127.0.0.1:9/graphql', storage: undefined });
    await expect(offline.me()).rejects.toBeInstanceOf(NetworkError);
    expect(await client.getSession()).not.toBeNull();
  });
});
