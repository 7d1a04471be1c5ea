/**
 * What the client remembers about a sign-in. Expiry instants are in this device's clock: they are
 * computed from the token's lifetime (`exp - iat`) at receipt, so a device whose clock is off by
 * minutes still refreshes on time.
 */
export interface StoredSession {
  /** Access token (bearer mode); null in cookie mode, where the browser holds it in an httpOnly cookie. */
  token: string | null;
  /** Refresh token (bearer mode); null in cookie mode. */
  refreshToken: string | null;
  /** When the access token expires, ms since epoch on this device; null when unknown. */
  accessExpiresAt: number | null;
  /** When the refresh token expires, ms since epoch on this device; null when unknown. */
  refreshExpiresAt: number | null;
}

/** Where the session lives. Sync or async, so React Native or IndexedDB stores can plug in. */
export interface TokenStorage {
  load(): StoredSession | null | Promise<StoredSession | null>;
  save(session: StoredSession | null): void | Promise<void>;
  /** Tells the client when someone else (another tab) changed the stored session. */
  subscribe?(listener: (session: StoredSession | null) => void): () => void;
}

/** The default: the session lives as long as the page or process. Nothing survives a reload. */
export function memoryStorage(initial: StoredSession | null = null): TokenStorage {
  let session = initial;
  return {
    load: () => session,
    save(next) {
      session = next;
    },
  };
}

/** The subset of the Web Storage API we use (so tests and other stores can stand in). */
export interface StorageLike {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

export interface LocalStorageOptions {
  key?: string;
  /** Defaults to `globalThis.localStorage`. */
  storage?: StorageLike;
  /** Where `storage` events arrive; defaults to `globalThis` (the window). */
  events?: EventTarget;
}

/**
 * Browser persistence: the session survives reloads and is shared by every tab of the origin; the
 * `storage` event tells this tab when another one refreshed or signed out.
 */
export function localStorageStorage(options: LocalStorageOptions = {}): TokenStorage {
  const key = options.key ?? 'gql-auth.session';
  const storage = () => options.storage ?? (globalThis as { localStorage?: StorageLike }).localStorage;
  // The window in browsers; Node has no storage events (and its consumers no DOM types).
  const global = globalThis as unknown as Partial<EventTarget>;
  const events =
    options.events ?? (typeof global.addEventListener === 'function' ? (global as EventTarget) : undefined);
  return {
    load() {
      return parseSession(storage()?.getItem(key) ?? null);
    },
    save(session) {
      const target = storage();
      if (!target) return;
      if (session) target.setItem(key, JSON.stringify(session));
      else target.removeItem(key);
    },
    subscribe(listener) {
      if (!events) return () => undefined;
      const onStorage = (event: Event) => {
        const { key: changed, newValue } = event as Event & { key?: string | null; newValue?: string | null };
        // key null means storage.clear() in another tab.
        if (changed === key || changed === null) listener(parseSession(newValue ?? null));
      };
      events.addEventListener('storage', onStorage);
      return () => events.removeEventListener('storage', onStorage);
    },
  };
}

function parseSession(raw: string | null): StoredSession | null {
  if (!raw) return null;
  try {
    const value = JSON.parse(raw) as Partial<StoredSession> | null;
    if (!value || typeof value !== 'object') return null;
    return {
      token: typeof value.token === 'string' ? value.token : null,
      refreshToken: typeof value.refreshToken === 'string' ? value.refreshToken : null,
      accessExpiresAt: typeof value.accessExpiresAt === 'number' ? value.accessExpiresAt : null,
      refreshExpiresAt: typeof value.refreshExpiresAt === 'number' ? value.refreshExpiresAt : null,
    };
  } catch {
    // A corrupt entry is no session, not a crash.
    return null;
  }
}
