import type { StoredSession } from './token-storage.js';

/** Why a session ended. `invalid_token`/`expired_token` are the server's answers to a refresh. */
export type SignOutReason = 'logout' | 'invalid_token' | 'expired_token' | 'other_tab';

/** Session changes an app reacts to (update the UI, redirect to the login page, warn the user). */
export interface SessionEvents {
  signedIn: { session: StoredSession };
  refreshed: { session: StoredSession; source: 'this_tab' | 'other_tab' };
  signedOut: { reason: SignOutReason };
  /**
   * The server refused the refresh token as used or revoked: a rotated token presented again after
   * its successor was used means someone else holds a copy, and the server ended the whole session.
   * (The server answers revoked and reused tokens alike, on purpose: no oracle for thieves.)
   */
  reuseDetected: { at: number };
}

export type SessionEventName = keyof SessionEvents;
export type SessionListener<K extends SessionEventName> = (event: SessionEvents[K]) => void;

export interface SessionEmitter {
  on<K extends SessionEventName>(name: K, listener: SessionListener<K>): () => void;
  emit<K extends SessionEventName>(name: K, event: SessionEvents[K]): void;
}

export function createSessionEmitter(): SessionEmitter {
  const listeners = new Map<SessionEventName, Set<(event: never) => void>>();
  return {
    on(name, listener) {
      const set = listeners.get(name) ?? new Set();
      listeners.set(name, set);
      set.add(listener as (event: never) => void);
      return () => set.delete(listener as (event: never) => void);
    },
    emit(name, event) {
      for (const listener of listeners.get(name) ?? []) {
        try {
          (listener as SessionListener<typeof name>)(event);
        } catch (error) {
          // A broken listener must not break the request that triggered the event.
          queueMicrotask(() => {
            throw error;
          });
        }
      }
    },
  };
}
