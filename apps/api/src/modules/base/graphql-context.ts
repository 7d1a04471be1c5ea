import type { EntityManager } from '@mikro-orm/postgresql';
import type { ClientMeta } from './client-meta.js';
import type { Clock } from './clock.js';

/** Facts about the HTTP request that resolvers and audit need. */
export interface RequestMeta extends ClientMeta {
  id: string;
}

/** Where the request's credentials came from (cookie mode beside bearer tokens). */
export interface RequestCredentials {
  accessToken: string | null;
  accessTokenSource: 'header' | 'cookie' | null;
  /** The refresh cookie, read by refreshToken/revokeToken/logout when their argument is omitted. */
  refreshCookie: string | null;
}

/**
 * The token cookies of this response, written by the HTTP edge (`http/token-cookies.ts`); in bearer
 * mode every call does nothing. Lifetimes are durations: the browser's clock is not the server's.
 */
export interface ResponseCookies {
  /**
   * Writes the pair as cookies when this client is a cookie client; returns true then, and the
   * response body must not carry the tokens (page scripts could read them).
   */
  setPair(pair: {
    token: string;
    accessMaxAgeMs: number;
    refreshToken: string;
    refreshMaxAgeMs: number;
  }): boolean;
  /** At sign-in: a fresh CSRF cookie, so a value planted before sign-in is worth nothing after it. */
  rotateCsrf(): void;
  clearAccess(): void;
  clearRefresh(): void;
}

/**
 * The services resolvers reach through `context.services`. Each module adds its own in its
 * `<module>.context.ts` by declaration merging, so this kernel names no module and no module
 * imports the composition root:
 *
 *   declare module '../base/graphql-context.js' {
 *     interface ContextServices { account: AccountService }
 *   }
 */
// biome-ignore lint/suspicious/noEmptyInterface: filled by declaration merging in each module
export interface ContextServices {}

/** Per-request members that modules add the same way (the viewer, the access token's claims). */
// biome-ignore lint/suspicious/noEmptyInterface: filled by declaration merging in each module
export interface ContextExtensions {}

/**
 * What every resolver receives: its own EntityManager (never the global one), the request, the
 * services, and what modules add. Built per request by `graphql/context.ts`.
 */
export type GraphQLContext = ContextExtensions & {
  em: EntityManager;
  services: ContextServices;
  request: RequestMeta;
  credentials: RequestCredentials;
  cookies: ResponseCookies;
  clock: Clock;
  /** The largest page a connection field serves. */
  maxPageSize: number;
};
