import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { type DocumentNode, getOperationAST } from 'graphql';
import { errorCodes, GraphQLRequestError } from './errors.js';
import { createSessionEmitter, type SessionEmitter, type SignOutReason } from './events.js';
import { readTokenTiming } from './jwt.js';
import { type OperationName, type Operations, operations } from './operations.js';
import {
  createSessionChannel,
  createSingleFlight,
  isNewerSession,
  type LockRunner,
  platformLock,
  platformRotationLedger,
  type RotationLedger,
  type SessionMessage,
  sessionKey,
} from './refresh.js';
import { memoryStorage, type StoredSession, type TokenStorage } from './token-storage.js';
import { createTransport, type RawResponse } from './transport.js';

export type AuthMode = 'bearer' | 'cookie';

export interface ClientOptions {
  /** The GraphQL endpoint, e.g. `https://api.example.com/graphql` or `/graphql`. */
  url: string;
  /** Defaults to the global fetch (browsers, Node 20). */
  fetch?: typeof fetch;
  /** Defaults to memory: pass `localStorageStorage()` to survive reloads and share tabs. */
  storage?: TokenStorage;
  /** `bearer` sends `Authorization: JWT <token>`; `cookie` relies on the server's httpOnly cookies. */
  mode?: AuthMode;
  /** Refresh this long before the access token expires (default 30 s). */
  refreshLeewaySeconds?: number;
  /** Authorization scheme in bearer mode (default `JWT`; the server accepts `Bearer` too). */
  authScheme?: 'JWT' | 'Bearer';
  /** Cookie mode: the CSRF header the server expects (default `x-csrf-token`). */
  csrfHeaderName?: string;
  /** Cookie mode: the readable CSRF cookie to echo (default `csrftoken`). */
  csrfCookieName?: string;
  /** Cookie mode: where the CSRF token comes from (default: `document.cookie`). */
  csrfToken?: () => string | null;
  /** Extra headers for every request. */
  headers?: Record<string, string>;
  /**
   * The `Accept-Language` of every request (e.g. `navigator.languages.join(',')`): error messages
   * come back in it, and sign-up and sign-in store it as the account's language for emails.
   */
  acceptLanguage?: string;
  /** This device's clock in ms (tests inject a manual clock). */
  now?: () => number;
  /** Web Locks + BroadcastChannel between tabs (default: on where `window` exists). */
  crossTab?: boolean;
  /** Overrides the cross-tab lock (tests). */
  lock?: LockRunner;
  /** Overrides where tabs note the sessions they rotated (tests). */
  rotations?: RotationLedger;
}

export interface RequestOptions {
  signal?: AbortSignal;
}

type ResultOf<D> = D extends TypedDocumentNode<infer R, infer _V> ? R : never;
type VariablesOf<D> = D extends TypedDocumentNode<infer _R, infer V> ? V : never;
type IsUnion<T, U = T> = T extends unknown ? ([U] extends [T] ? false : true) : never;
/** Operations with one root field (all of ours) answer that field's value; others the whole data. */
export type Unwrapped<R> = true extends IsUnion<keyof R> ? R : R[keyof R];

/** Variables are optional when none is required. */
export type OperationMethod<D> =
  Record<never, never> extends VariablesOf<D>
    ? (variables?: VariablesOf<D>, options?: RequestOptions) => Promise<Unwrapped<ResultOf<D>>>
    : (variables: VariablesOf<D>, options?: RequestOptions) => Promise<Unwrapped<ResultOf<D>>>;

/** One typed method per operation in `operations/*.graphql`. */
export type OperationMethods = { [K in OperationName]: OperationMethod<Operations[K]> };

export interface ClientCore {
  /** Any typed document (your own operations), with the same auth and refresh handling. */
  request<R, V>(document: TypedDocumentNode<R, V>, variables?: V, options?: RequestOptions): Promise<R>;
  on: SessionEmitter['on'];
  getSession(): Promise<StoredSession | null>;
  /** Refreshes now (joining a refresh already running). True when a fresh pair is in place. */
  refresh(): Promise<boolean>;
  /** Ends the session on the server (best effort) and always forgets it here. */
  signOut(): Promise<void>;
  /** Stops listening to other tabs. */
  close(): void;
}

export type AuthClient = OperationMethods & ClientCore;

// A method named like a core member would be shadowed silently: make it a type error instead.
type Collision = Extract<OperationName, keyof ClientCore>;
const noCollision: [Collision] extends [never] ? true : Collision = true;
void noCollision;

/** Successful results of these end the caller's own session on the server. */
const SIGN_OUT_FIELDS = new Set([
  'logout',
  'revokeAllSessions',
  'archiveAccount',
  'deleteAccount',
  'deleteRefreshTokenCookie',
]);
/** Operations that authenticate by their arguments: no refresh before or after them. */
const SELF_AUTHENTICATING = new Set([
  'tokenAuth',
  'register',
  'refreshToken',
  'revokeToken',
  'verifyToken',
  'logout',
]);

/** How long a tab waits for another tab's refreshed pair to reach its storage, and how often it looks. */
const REPLICATION_WAIT_MS = 2_000;
const REPLICATION_POLL_MS = 20;

type RefreshOutcome = 'refreshed' | 'signedOut' | 'unavailable';

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null;

export function createClient(options: ClientOptions): AuthClient {
  const mode = options.mode ?? 'bearer';
  const storage = options.storage ?? memoryStorage();
  const now = options.now ?? (() => Date.now());
  const leewayMs = (options.refreshLeewaySeconds ?? 30) * 1000;
  const send = createTransport({
    ...options,
    mode,
    headers: options.acceptLanguage
      ? { 'accept-language': options.acceptLanguage, ...options.headers }
      : options.headers,
  });
  const crossTab = options.crossTab ?? (globalThis as { window?: unknown }).window !== undefined;
  const emitter = createSessionEmitter();
  const singleFlight = createSingleFlight<RefreshOutcome>(
    `gql-auth:refresh:${options.url}`,
    options.lock ?? (crossTab ? platformLock() : undefined),
  );

  const rotations =
    options.rotations ?? (crossTab ? platformRotationLedger(`gql-auth:refresh:${options.url}`) : null);

  let session: StoredSession | null = null;
  let heardFromElsewhere = false;
  // An unreadable store means no session, not a client whose every call fails.
  const ready = Promise.resolve()
    .then(() => storage.load())
    .catch(() => null)
    .then((loaded) => {
      // A tab that spoke while we were loading knows better than what we loaded.
      if (!heardFromElsewhere) session = loaded;
    });

  /** A change made elsewhere (another tab): adopt it and tell the app what it means. */
  function applyExternal(next: StoredSession | null) {
    heardFromElsewhere = true;
    const previous = session;
    session = next;
    if (!next) {
      if (previous) emitter.emit('signedOut', { reason: 'other_tab' });
    } else if (!previous) emitter.emit('signedIn', { session: next });
    else if (isNewerSession(next, previous))
      emitter.emit('refreshed', { session: next, source: 'other_tab' });
  }
  const unsubscribe = storage.subscribe?.(applyExternal);
  const channel = crossTab
    ? createSessionChannel(`gql-auth:${options.url}`, (message: SessionMessage) => {
        void (async () => {
          if (mode === 'bearer') return applyExternal(await storage.load()); // storage holds the tokens
          const next = message.type === 'signedOut' ? null : message.session;
          await storage.save(next);
          applyExternal(next);
        })();
      })
    : null;

  async function store(next: StoredSession, kind: 'signedIn' | 'refreshed') {
    session = next;
    await storage.save(next);
    if (kind === 'refreshed') emitter.emit('refreshed', { session: next, source: 'this_tab' });
    else emitter.emit('signedIn', { session: next });
    channel?.post({ type: kind, session: next });
  }

  async function forget(reason: SignOutReason) {
    const had = session !== null;
    session = null;
    await storage.save(null);
    if (!had) return;
    emitter.emit('signedOut', { reason });
    channel?.post({ type: 'signedOut' });
  }

  /** Expiry instants in this device's clock: the token's lifetime counted from its receipt. */
  function sessionFrom(result: Record<string, unknown>): StoredSession {
    const token = typeof result.token === 'string' ? result.token : null;
    const payload = isObject(result.payload) ? result.payload : null;
    const timing =
      typeof payload?.exp === 'number'
        ? { exp: payload.exp, iat: typeof payload.iat === 'number' ? payload.iat : null }
        : token
          ? readTokenTiming(token)
          : { exp: null, iat: null };
    const receivedAt = now();
    const serverNow = timing.iat ?? receivedAt / 1000;
    const toLocal = (unixSeconds: number | null) =>
      unixSeconds === null ? null : receivedAt + (unixSeconds - serverNow) * 1000;
    const refreshToken = typeof result.refreshToken === 'string' ? result.refreshToken : null;
    return {
      token: mode === 'bearer' ? token : null,
      refreshToken: mode === 'bearer' ? refreshToken : null,
      accessExpiresAt: toLocal(timing.exp),
      refreshExpiresAt: toLocal(typeof result.refreshExpiresIn === 'number' ? result.refreshExpiresIn : null),
    };
  }

  function refreshFrom(seen: StoredSession | null): Promise<RefreshOutcome> {
    return singleFlight(async () => {
      // Inside the lock: another call or tab may have refreshed while we waited.
      const stored = await storage.load();
      if (!stored) {
        applyExternal(null);
        return 'signedOut';
      }
      if (seen && isNewerSession(stored, seen)) {
        applyExternal(stored);
        return 'refreshed';
      }
      if (rotations && (await rotations.has(sessionKey(stored)).catch(() => false))) {
        // Another tab rotated this pair; its write has not reached our copy of the storage yet.
        const arrived = await storedAfter(stored);
        if (arrived !== undefined) {
          applyExternal(arrived);
          return arrived ? 'refreshed' : 'signedOut';
        }
      }
      if (mode === 'bearer' && !stored.refreshToken) return 'unavailable';
      const variables = mode === 'bearer' ? { refreshToken: stored.refreshToken } : {};
      const response = await send(operations.refreshToken, variables, null, {});
      if (response.errors.length > 0) throw new GraphQLRequestError(response.errors, response.status);
      const result = isObject(response.data?.refreshToken) ? response.data.refreshToken : null;
      if (result?.success === true) {
        await store(sessionFrom(result), 'refreshed');
        // Before the lock goes: a tab that waited for it must learn the pair it holds is spent.
        await rotations?.record(sessionKey(stored)).catch(() => undefined);
        return 'refreshed';
      }
      // A tab that refreshed without the lock (no Web Locks) may have won the race: not a theft.
      const again = await storage.load();
      if (again && isNewerSession(again, stored)) {
        applyExternal(again);
        return 'refreshed';
      }
      const codes = errorCodes(result as { errors?: null });
      if (codes.includes('invalid_token')) emitter.emit('reuseDetected', { at: now() });
      await forget(codes.includes('expired_token') ? 'expired_token' : 'invalid_token');
      return 'signedOut';
    });
  }

  /**
   * Waits, briefly, for the storage to show what replaced `stale`: the newer session, null when the
   * other tab signed out, undefined when nothing arrived in time (then we refresh ourselves).
   */
  async function storedAfter(stale: StoredSession): Promise<StoredSession | null | undefined> {
    for (let waited = 0; waited < REPLICATION_WAIT_MS; waited += REPLICATION_POLL_MS) {
      await new Promise((resume) => setTimeout(resume, REPLICATION_POLL_MS));
      const current = await storage.load();
      if (!current || isNewerSession(current, stale)) return current;
    }
    return undefined;
  }

  /** A refresh that fails to happen (network, server error) never signs out: the request decides. */
  async function tryRefresh(seen: StoredSession | null): Promise<RefreshOutcome> {
    try {
      return await refreshFrom(seen);
    } catch {
      return 'unavailable';
    }
  }

  function dueForRefresh(current: StoredSession | null): current is StoredSession {
    if (!current || current.accessExpiresAt === null) return false;
    if (mode === 'bearer' && !current.refreshToken) return false;
    return current.accessExpiresAt - leewayMs <= now();
  }

  async function absorb(data: Record<string, unknown> | null) {
    for (const [field, value] of Object.entries(data ?? {})) {
      if (!isObject(value) || value.success !== true) continue;
      if (SIGN_OUT_FIELDS.has(field)) await forget('logout');
      else if (
        field !== 'verifyToken' &&
        (typeof value.token === 'string' || (mode === 'cookie' && 'token' in value))
      ) {
        await store(sessionFrom(value), field === 'refreshToken' ? 'refreshed' : 'signedIn');
      }
    }
  }

  async function request<R, V>(
    document: TypedDocumentNode<R, V>,
    variables?: V,
    requestOptions: RequestOptions = {},
  ): Promise<R> {
    await ready;
    const doc: DocumentNode = document;
    const field = rootField(doc);
    const refreshable = !SELF_AUTHENTICATING.has(field ?? '');
    if (refreshable && dueForRefresh(session)) await tryRefresh(session);
    let used = session;
    let response = await send(doc, variables, used, requestOptions);
    if (refreshable && used && looksUnauthenticated(response)) {
      if ((await tryRefresh(used)) === 'refreshed' && session) {
        used = session;
        response = await send(doc, variables, used, requestOptions);
      }
    }
    if (response.errors.length > 0) throw new GraphQLRequestError(response.errors, response.status);
    await absorb(response.data);
    return response.data as R;
  }

  const core: ClientCore = {
    request,
    on: emitter.on,
    async getSession() {
      await ready;
      return session;
    },
    async refresh() {
      await ready;
      return (await refreshFrom(session)) === 'refreshed';
    },
    async signOut() {
      await ready;
      const current = session;
      try {
        if (current)
          await request(operations.logout, mode === 'bearer' ? { refreshToken: current.refreshToken } : {});
      } catch {
        // Offline or refused: the local sign-out below still happens; the token dies at expiry.
      }
      await forget('logout');
    },
    close() {
      unsubscribe?.();
      channel?.close();
    },
  };

  const methods: Record<string, unknown> = {};
  for (const [name, document] of Object.entries(operations)) {
    methods[name] = (variables?: unknown, requestOptions?: RequestOptions) =>
      request(
        document as TypedDocumentNode<Record<string, unknown>, unknown>,
        variables,
        requestOptions,
      ).then(unwrap);
  }
  return Object.assign(methods, core) as unknown as AuthClient;
}

function unwrap(data: Record<string, unknown> | null): unknown {
  const keys = Object.keys(data ?? {});
  return data && keys.length === 1 ? data[keys[0]!] : data;
}

/** The server's signals that our credentials were not accepted (expired, revoked, unknown). */
function looksUnauthenticated(response: RawResponse): boolean {
  if (response.errors.some((error) => error.extensions?.code === 'UNAUTHENTICATED')) return true;
  return Object.entries(response.data ?? {}).some(
    ([field, value]) =>
      // `me` answers null for an expired token rather than failing.
      (field === 'me' && value === null) ||
      (isObject(value) && errorCodes(value as { errors?: null }).includes('unauthenticated')),
  );
}

function rootField(document: DocumentNode): string | undefined {
  const selection = getOperationAST(document)?.selectionSet.selections[0];
  return selection?.kind === 'Field' ? selection.name.value : undefined;
}
