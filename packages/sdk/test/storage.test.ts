import { readdir, readFile } from 'node:fs/promises';
import { parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import {
  createClient,
  createSingleFlight,
  localStorageStorage,
  memoryStorage,
  operations,
  readTokenTiming,
  type StorageLike,
  type StoredSession,
} from '../src/index.js';

function fakeLocalStorage(): StorageLike & { data: Map<string, string> } {
  const data = new Map<string, string>();
  return {
    data,
    getItem: (key) => data.get(key) ?? null,
    setItem: (key, value) => void data.set(key, value),
    removeItem: (key) => void data.delete(key),
  };
}

/** What a browser does in the *other* tabs after a write: a `storage` event with key and newValue. */
function storageEvent(key: string | null, newValue: string | null): Event {
  return Object.assign(new Event('storage'), { key, newValue });
}

const session: StoredSession = {
  token: 'a.b.c',
  refreshToken: 'rt_x',
  accessExpiresAt: 1,
  refreshExpiresAt: 2,
};

describe('token storage', () => {
  it('memory storage keeps the session for the life of the client only', async () => {
    const storage = memoryStorage();
    expect(await storage.load()).toBeNull();
    await storage.save(session);
    expect(await storage.load()).toEqual(session);
  });

  it('localStorage adapter persists, clears, and ignores corrupt entries', () => {
    const backing = fakeLocalStorage();
    const storage = localStorageStorage({ storage: backing, events: new EventTarget(), key: 'k' });
    storage.save(session);
    expect(JSON.parse(backing.data.get('k')!)).toEqual(session);
    expect(storage.load()).toEqual(session);
    storage.save(null);
    expect(backing.data.has('k')).toBe(false);
    backing.setItem('k', '{not json');
    expect(storage.load()).toBeNull();
  });

  it('a client adopts a session another tab wrote, and signs out when that tab does', async () => {
    const backing = fakeLocalStorage();
    const events = new EventTarget();
    const client = createClient({
      url: 'http://127.0.0.1:9/graphql',
      storage: localStorageStorage({ storage: backing, events, key: 'k' }),
      crossTab: false,
    });
    const seen: string[] = [];
    client.on('signedIn', () => seen.push('signedIn'));
    client.on('refreshed', ({ source }) => seen.push(`refreshed:${source}`));
    client.on('signedOut', ({ reason }) => seen.push(`signedOut:${reason}`));
    await client.getSession();

    events.dispatchEvent(storageEvent('k', JSON.stringify(session)));
    const refreshed = { ...session, refreshToken: 'rt_y', accessExpiresAt: 5 };
    events.dispatchEvent(storageEvent('k', JSON.stringify(refreshed)));
    expect(await client.getSession()).toEqual(refreshed);
    events.dispatchEvent(storageEvent('other-key', null));
    events.dispatchEvent(storageEvent('k', null));
    expect(seen).toEqual(['signedIn', 'refreshed:other_tab', 'signedOut:other_tab']);
    expect(await client.getSession()).toBeNull();
    client.close();
  });
});

describe('refresh primitives', () => {
  it('reads exp and iat from a JWT without Buffer, and survives garbage', () => {
    const payload = btoa(JSON.stringify({ sub: '1', iat: 100, exp: 400, name: 'zoë' }))
      .replace(/\+/g, '-')
      .replace(/\//g, '_')
      .replace(/=+$/, '');
    expect(readTokenTiming(`eyJhbGciOiJIUzI1NiJ9.${payload}.sig`)).toEqual({ exp: 400, iat: 100 });
    expect(readTokenTiming('nope')).toEqual({ exp: null, iat: null });
    expect(readTokenTiming('a.%%%.c')).toEqual({ exp: null, iat: null });
  });

  it('single flight: callers that arrive while a task runs share it', async () => {
    let runs = 0;
    const run = createSingleFlight<number>('test');
    const task = async () => {
      runs += 1;
      await new Promise((resolve) => setTimeout(resolve, 10));
      return runs;
    };
    expect(await Promise.all([run(task), run(task), run(task)])).toEqual([1, 1, 1]);
    expect(await run(task)).toBe(2);
  });

  it('single flight holds the cross-tab lock while it runs', async () => {
    const held: string[] = [];
    const run = createSingleFlight<string>('gql-auth:refresh', async (name, task) => {
      held.push(name);
      return task();
    });
    await Promise.all([run(async () => 'a'), run(async () => 'b')]);
    expect(held).toEqual(['gql-auth:refresh']);
  });
});

describe('operations', () => {
  it('has a client method for every operation in operations/*.graphql', async () => {
    const folder = new URL('../src/operations/', import.meta.url);
    const names: string[] = [];
    for (const file of (await readdir(folder)).filter((name) => name.endsWith('.graphql'))) {
      for (const definition of parse(await readFile(new URL(file, folder), 'utf8')).definitions) {
        if (definition.kind === 'OperationDefinition' && definition.name) names.push(definition.name.value);
      }
    }
    const methods = names.map((name) => name.charAt(0).toLowerCase() + name.slice(1));
    expect(Object.keys(operations).sort()).toEqual(methods.sort());
    const client = createClient({ url: 'http://127.0.0.1:9/graphql' });
    for (const method of methods)
      expect(typeof (client as unknown as Record<string, unknown>)[method]).toBe('function');
  });
});
