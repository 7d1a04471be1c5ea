import type { StoredSession } from './token-storage.js';

/** Runs `task` while holding a named lock; the Web Locks API makes it exclusive across tabs. */
export type LockRunner = <T>(name: string, task: () => Promise<T>) => Promise<T>;

interface LockManagerLike {
  request<T>(name: string, callback: () => Promise<T>): Promise<T>;
}

/** `navigator.locks` where the platform has it (browsers); otherwise in-process exclusion only. */
export function platformLock(): LockRunner {
  const locks = (globalThis as { navigator?: { locks?: LockManagerLike } }).navigator?.locks;
  if (locks && typeof locks.request === 'function') return (name, task) => locks.request(name, task);
  return (_name, task) => task();
}

/**
 * Which sessions a tab has just rotated, kept where every tab reads it consistently.
 *
 * Why it exists: a tab that waited for the refresh lock re-reads the storage, but browsers replicate
 * `localStorage` to other tabs asynchronously (Chromium keeps a per-process copy), so right after the
 * lock is released the waiter can still read the pair the other tab just spent, and would refresh it a
 * second time. The lock manager, unlike the storage, is one consistent place for every tab.
 */
export interface RotationLedger {
  /** Notes that the session named `key` was rotated; resolves once every tab can see the note. */
  record(key: string): Promise<void>;
  /** True when some tab recorded `key` in the last few seconds. */
  has(key: string): Promise<boolean>;
}

/** The parts of the Web Locks API the ledger uses: a request that may not wait, and the lock list. */
interface LockManagerWithQuery {
  request<T>(name: string, options: { ifAvailable: boolean }, callback: () => Promise<T>): Promise<T>;
  query(): Promise<{ held?: Array<{ name?: string }> }>;
}

/** How long a rotation note stays: longer than any replication lag between tabs. */
const ROTATION_NOTE_MS = 10_000;

/**
 * Web Locks as the ledger: a note is a lock named after the rotated session, held for a few
 * seconds by the tab that rotated it (the browser drops it with the tab). In-process notes elsewhere.
 */
export function platformRotationLedger(prefix: string): RotationLedger {
  const locks = (globalThis as { navigator?: { locks?: Partial<LockManagerWithQuery> } }).navigator?.locks;
  const noteName = (key: string) => `${prefix}:rotated:${key}`;
  if (locks && typeof locks.request === 'function' && typeof locks.query === 'function') {
    const manager = locks as LockManagerWithQuery;
    return {
      record: (key) =>
        new Promise<void>((noted) => {
          // ifAvailable: a note already held by another tab is as good as ours.
          void manager.request(noteName(key), { ifAvailable: true }, () => {
            noted();
            return new Promise<void>((release) => setTimeout(release, ROTATION_NOTE_MS));
          });
        }),
      has: async (key) => ((await manager.query()).held ?? []).some((lock) => lock.name === noteName(key)),
    };
  }
  return memoryRotationLedger();
}

/** Notes in this process only: for one tab, a server, or tests standing in for the lock manager. */
export function memoryRotationLedger(now: () => number = () => Date.now()): RotationLedger {
  const notes = new Map<string, number>();
  return {
    async record(key) {
      notes.set(key, now() + ROTATION_NOTE_MS);
    },
    async has(key) {
      const until = notes.get(key);
      if (until !== undefined && until <= now()) notes.delete(key);
      return until !== undefined && until > now();
    },
  };
}

/**
 * Names a stored session without its tokens (lock names are visible to every script of the origin):
 * the instants it was given at receipt tell one pair from the next.
 */
export function sessionKey(session: StoredSession): string {
  return `${session.accessExpiresAt ?? 'none'}:${session.refreshExpiresAt ?? 'none'}`;
}

/**
 * However many callers ask while a refresh is running, they all wait for that one refresh. The lock
 * around it keeps other tabs out too: a tab that waited re-reads the storage inside the lock and
 * adopts the pair the other tab got, instead of presenting a token that was just rotated.
 */
export function createSingleFlight<T>(lockName: string, lock: LockRunner = platformLock()) {
  let inflight: Promise<T> | null = null;
  return (task: () => Promise<T>): Promise<T> => {
    inflight ??= lock(lockName, task).finally(() => {
      inflight = null;
    });
    return inflight;
  };
}

/** What tabs tell each other; tokens never travel on the channel (storage holds them, if anyone). */
export type SessionMessage =
  | { type: 'refreshed'; session: StoredSession }
  | { type: 'signedIn'; session: StoredSession }
  | { type: 'signedOut' };

export interface SessionChannel {
  post(message: SessionMessage): void;
  close(): void;
}

/**
 * A BroadcastChannel between the tabs of one origin. Cookie mode needs it: the cookies are shared
 * but httpOnly, so only a message tells another tab that the pair was refreshed or signed out.
 */
export function createSessionChannel(
  name: string,
  onMessage: (message: SessionMessage) => void,
): SessionChannel | null {
  if (typeof BroadcastChannel !== 'function') return null;
  const channel = new BroadcastChannel(name);
  channel.onmessage = (event: { data: SessionMessage }) => onMessage(event.data);
  return {
    post(message) {
      const session = 'session' in message ? { ...message.session, token: null, refreshToken: null } : null;
      channel.postMessage(session ? { ...message, session } : message);
    },
    close: () => channel.close(),
  };
}

/** True when `current` is a later pair than the one a caller saw (another call or tab refreshed). */
export function isNewerSession(current: StoredSession, seen: StoredSession | null): boolean {
  if (!seen) return true;
  if (current.refreshToken !== seen.refreshToken || current.token !== seen.token) return true;
  return (current.accessExpiresAt ?? 0) > (seen.accessExpiresAt ?? 0);
}
