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
