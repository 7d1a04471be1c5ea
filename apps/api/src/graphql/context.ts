import type { EntityManager } from '@mikro-orm/postgresql';
import type { TokenCookieJar } from '../http/token-cookies.js';
import type { AccessTokenClaims } from '../modules/auth/access-tokens.js';
import type { User } from '../modules/users/user.entity.js';
import type { Services } from '../services.js';

/** Facts about the HTTP request that resolvers and audit need. */
export interface RequestMeta {
  id: string;
  ip: string | null;
  userAgent: string | null;
  /** Cookie mode: token pairs issued during this request are also written as cookies here. */
  tokenCookies?: TokenCookieJar | null;
}

/** Where the request's credentials came from (cookie mode beside bearer tokens). */
export interface RequestCredentials {
  accessToken: string | null;
  accessTokenSource: 'header' | 'cookie' | null;
  /** The refresh cookie, read by refreshToken/revokeToken/logout when their argument is omitted. */
  refreshCookie: string | null;
}

/** Per-request context: its own EntityManager (never the global one), the viewer, the services. */
// A type alias (not an interface) so it satisfies graphql-http's `Record<PropertyKey, unknown>` bound.
export type GraphQLContext = {
  em: EntityManager;
  services: Services;
  request: RequestMeta;
  /** The signed-in user, looked up once and only when a resolver asks. */
  viewer(): Promise<User | null>;
  credentials: RequestCredentials;
  /** Verified claims of the request's access token (e.g. `sid`, the current session), or null. */
  accessClaims(): Promise<AccessTokenClaims | null>;
};

export function createContext(
  services: Services,
  request: RequestMeta,
  accessToken: string | null,
  credentials: RequestCredentials = {
    accessToken,
    accessTokenSource: accessToken ? 'header' : null,
    refreshCookie: null,
  },
): GraphQLContext {
  const em = services.db.orm.em.fork() as EntityManager;
  let viewer: Promise<User | null> | undefined;
  let claims: Promise<AccessTokenClaims | null> | undefined;
  const accessClaims = () => {
    claims ??= accessToken
      ? services.accessTokens.verify(accessToken).then((result) => (result.ok ? result.claims : null))
      : Promise.resolve(null);
    return claims;
  };
  return {
    em,
    credentials,
    accessClaims,
    services,
    request,
    viewer() {
      // Through accessClaims: one verification (and one session lookup) per request, whoever asks first.
      viewer ??= accessClaims().then((verified) =>
        verified ? services.auth.viewerFromClaims(em, verified) : null,
      );
      return viewer;
    },
  };
}
