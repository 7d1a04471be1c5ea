import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestInstance, type TestInstance } from '../../../apps/api/test/support/test-instance.js';
import {
  createClient,
  type LockRunner,
  memoryRotationLedger,
  memoryStorage,
  RefreshTokenDocument,
  type SessionEvents,
  type StoredSession,
  type TokenStorage,
} from '../src/index.js';
import { countingFetch, PASSWORD, registerUser } from './support.js';

/**
 * Refresh behaviour against the server's refreshToken: rotation, the grace window and reuse
 * detection. The client runs on the server's manual clock so expiry is deterministic.
 */
describe('refresh: one in flight, on time, and never an accidental sign-out', () => {
  let api: TestInstance;
  let url: string;
  const now = () => api.clock.now().getTime();

  beforeAll(async () => {
    api = await createTestInstance('postgres+redis');
    url = `${api.url}/graphql`;
    await registerUser(api, 'linus');
  });
  afterAll(async () => {
    await api?.close();
  });

  async function signedInClient() {
    const counter = countingFetch();
    const storage = memoryStorage();
    const client = createClient({ url, fetch: counter.fetch, storage, now });
    const events: Array<keyof SessionEvents> = [];
    for (const name of ['signedIn', 'refreshed', 'signedOut', 'reuseDetected'] as const) {
      client.on(name, () => events.push(name));
    }
    const result = await client.tokenAuth({ username: 'linus', password: PASSWORD });
    expect(result.success).toBe(true);
    return { client, counter, storage, events };
  }

  it('refreshes shortly before expiry: 10 concurrent calls, exactly one refresh', async () => {
    const { client, counter, events } = await signedInClient();
    const before = await client.getSession();
    api.clock.advance(301_000);
    const answers = await Promise.all(Array.from({ length: 10 }, () => client.me()));
    expect(answers.map((me) => me?.username)).toEqual(Array(10).fill('linus'));
    expect(counter.count('RefreshToken')).toBe(1);
    expect(events).toEqual(['signedIn', 'refreshed']);
    const after = await client.getSession();
    expect(after?.refreshToken).not.toBe(before?.refreshToken);
    expect(after!.accessExpiresAt!).toBeGreaterThan(now() + 290_000);
  });

  it('refreshes once on an expired answer and retries, when the device clock disagrees', async () => {
    // Device clock frozen at sign-in: the client believes the token is fresh, the server does not.
    const frozen = now();
    const counter = countingFetch();
    const client = createClient({ url, fetch: counter.fetch, now: () => frozen });
    await client.tokenAuth({ username: 'linus', password: PASSWORD });
    api.clock.advance(301_000);
    const answers = await Promise.all(Array.from({ length: 5 }, () => client.me()));
    expect(answers.map((me) => me?.username)).toEqual(Array(5).fill('linus'));
    expect(counter.count('RefreshToken')).toBe(1);
    expect(counter.count('Me')).toBe(10); // each call: once refused (anonymous), once retried
  });

  it('signs out and emits reuseDetected when a rotated token is replayed after its successor was used', async () => {
    const { client, storage, events } = await signedInClient();
    const stolen = (await storage.load())!.refreshToken!;
    expect(await client.refresh()).toBe(true);
    api.clock.advance(30_000); // past the grace window
    expect(await client.refresh()).toBe(true); // the holder moves on: its successor is used
    // The thief presents the rotated token: the server revokes the whole family.
    const replay = await api.gql(RefreshTokenDocument, { refreshToken: stolen });
    expect(replay.data?.refreshToken.errors?.nonFieldErrors?.[0]?.code).toBe('invalid_token');

    const signedOut: SessionEvents['signedOut'][] = [];
    client.on('signedOut', (event) => signedOut.push(event));
    expect(await client.refresh()).toBe(false);
    expect(events).toEqual(['signedIn', 'refreshed', 'refreshed', 'reuseDetected', 'signedOut']);
    expect(signedOut).toEqual([{ reason: 'invalid_token' }]);
    expect(await client.getSession()).toBeNull();
    expect(await client.me()).toBeNull();
  });

  it('a client still holding a rotated pair signs itself out with reuseDetected once the session moved on', async () => {
    const { client, storage } = await signedInClient();
    const copy = await storage.load();
    await client.refresh();
    api.clock.advance(30_000);
    await client.refresh(); // the holder uses its successor: the copy is now behind the session
    const thief = createClient({ url, storage: memoryStorage(copy), now });
    const reuse: number[] = [];
    thief.on('reuseDetected', ({ at }) => reuse.push(at));
    expect(await thief.refresh()).toBe(false);
    expect(reuse).toHaveLength(1);
    expect(await thief.getSession()).toBeNull();
  });

  it('two clients sharing one pair both stay signed in when they refresh at once (grace window)', async () => {
    const { client, storage } = await signedInClient();
    const other = createClient({ url, storage: memoryStorage(await storage.load()), now });
    const [a, b] = await Promise.all([client.refresh(), other.refresh()]);
    expect([a, b]).toEqual([true, true]);
    expect((await client.me())?.username).toBe('linus');
    expect((await other.me())?.username).toBe('linus');
  });

  it("two tabs refresh once even when one sees the other tab's write late (storage replicates lazily)", async () => {
    const { storage } = await signedInClient();
    const origin = lazilyReplicatedStorage(await storage.load(), 300);
    const lock = mutex();
    const rotations = memoryRotationLedger();
    const tabs = [0, 1].map(() => {
      const counter = countingFetch();
      const client = createClient({ url, fetch: counter.fetch, storage: origin.tab(), now, lock, rotations });
      return { client, counter };
    });
    api.clock.advance(301_000);
    const names = await Promise.all(tabs.map(({ client }) => client.me()));
    expect(names.map((me) => me?.username)).toEqual(['linus', 'linus']);
    expect(tabs.map(({ counter }) => counter.count('RefreshToken')).sort()).toEqual([0, 1]);
    const [first, second] = await Promise.all(tabs.map(({ client }) => client.getSession()));
    expect(second?.refreshToken).toBe(first?.refreshToken);
  });

  it('a session revoked from another device signs the client out on its very next call', async () => {
    const { client, counter, events } = await signedInClient();
    const elsewhere = createClient({ url, now });
    await elsewhere.tokenAuth({ username: 'linus', password: PASSWORD });
    expect((await elsewhere.revokeOtherSessions()).success).toBe(true);

    const signedOut: SessionEvents['signedOut'][] = [];
    client.on('signedOut', (event) => signedOut.push(event));
    // The access token is still within its 5 minutes, yet the server no longer accepts it.
    expect(await client.me()).toBeNull();
    expect(counter.count('RefreshToken')).toBe(1);
    // Revoked and reused tokens get the same answer (no oracle for thieves): the same events too.
    expect(events).toEqual(['signedIn', 'reuseDetected', 'signedOut']);
    expect(signedOut).toEqual([{ reason: 'invalid_token' }]);
    expect(await client.getSession()).toBeNull();
    expect((await elsewhere.me())?.username).toBe('linus');
  });

  it('signOut ends the session on the server: its refresh token stops working', async () => {
    const { client, storage, events } = await signedInClient();
    const refreshToken = (await storage.load())!.refreshToken!;
    await client.signOut();
    expect(events).toEqual(['signedIn', 'signedOut']);
    expect(await client.getSession()).toBeNull();
    const after = await api.gql(RefreshTokenDocument, { refreshToken });
    expect(after.data?.refreshToken.success).toBe(false);
  });

  it('passwordChange stores the fresh pair it returns', async () => {
    await registerUser(api, 'pwchange');
    const client = createClient({ url, now });
    await client.tokenAuth({ username: 'pwchange', password: PASSWORD });
    const before = await client.getSession();
    // passwordChange needs a verified user; verify through the server's own service when present.
    const verified = await markVerified(api, 'pwchange');
    const result = await client.passwordChange({
      oldPassword: PASSWORD,
      newPassword1: `${PASSWORD}-2`,
      newPassword2: `${PASSWORD}-2`,
    });
    expect(verified).toBe(true);
    expect(result).toMatchObject({ success: true, errors: null });
    const after = await client.getSession();
    expect(after?.refreshToken).toBe(result.refreshToken);
    expect(after?.refreshToken).not.toBe(before?.refreshToken);
    expect((await client.me())?.username).toBe('pwchange');
  });
});

async function markVerified(api: TestInstance, username: string): Promise<boolean> {
  const em = api.services.db.orm.em.fork();
  const updated = await em
    .getConnection()
    .execute('update "user" set verified = true where username = ?', [username], 'run');
  return (updated as { affectedRows?: number }).affectedRows === 1;
}

/** One lock for the "tabs" of a test, as the browser's lock manager is one for an origin's tabs. */
function mutex(): LockRunner {
  let tail: Promise<unknown> = Promise.resolve();
  return (_name, task) => {
    const run = tail.then(task);
    tail = run.catch(() => undefined);
    return run;
  };
}

/**
 * Storage shared by tabs the way Chromium shares localStorage: each tab reads its own copy, and a
 * write reaches the other tabs' copies only after `lagMs`.
 */
function lazilyReplicatedStorage(initial: StoredSession | null, lagMs: number) {
  const copies: Array<{ value: StoredSession | null }> = [];
  return {
    tab(): TokenStorage {
      const own = { value: initial };
      copies.push(own);
      return {
        load: () => own.value,
        save(next) {
          own.value = next;
          for (const copy of copies)
            if (copy !== own)
              setTimeout(() => {
                copy.value = next;
              }, lagMs);
        },
      };
    },
  };
}
