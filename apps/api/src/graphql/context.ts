import type { EntityManager } from '@mikro-orm/postgresql';
// What each module adds to the context type (its `<module>.context.ts`), all of it, wherever this compiles.
import type {} from '../__generated__/context-modules.generated.js';
import { NO_COOKIES } from '../http/token-cookies.js';
import type { AccessTokenClaims } from '../modules/auth/access-tokens.js';
import { REQUEST_ERRORS } from '../modules/base/errors/request-errors.js';
import type {
  GraphQLContext,
  RequestCredentials,
  RequestMeta,
  ResponseCookies,
} from '../modules/base/graphql-context.js';
import type { User } from '../modules/users/user.entity.js';
import type { Services } from '../services.js';

const bearerCredentials = (accessToken: string | null): RequestCredentials => ({
  accessToken,
  accessTokenSource: accessToken ? 'header' : null,
  refreshCookie: null,
});

/**
 * The context of one request (its type is `modules/base/graphql-context.ts` plus what each module
 * declares): a forked EntityManager (on first use), the services, and a viewer looked up once, when first asked.
 */
export function createContext(
  services: Services,
  request: RequestMeta,
  credentials: RequestCredentials = bearerCredentials(null),
  cookies: ResponseCookies = NO_COOKIES,
): GraphQLContext {
  // Forked when first used: `{ __typename }`, an anonymous `me` or a refresh on Redis never need one.
  let forked: EntityManager | undefined;
  const em = () => {
    forked ??= services.db.orm.em.fork() as EntityManager;
    return forked;
  };
  const { accessToken } = credentials;
  let viewer: Promise<User | null> | undefined;
  let viewerLanguage: string | null = null;
  let claims: Promise<AccessTokenClaims | null> | undefined;
  const accessClaims = () => {
    claims ??= accessToken
      ? services.accessTokens.verify(accessToken).then((result) => (result.ok ? result.claims : null))
      : Promise.resolve(null);
    return claims;
  };
  const viewerOf = () => {
    // Through accessClaims: one verification (and one session lookup) per request, whoever asks first.
    viewer ??= accessClaims()
      .then((verified) => (verified ? services.auth.viewerFromClaims(em(), verified) : null))
      .then((user) => {
        viewerLanguage = user?.language ?? null;
        return user;
      });
    return viewer;
  };
  return {
    get em() {
      return em();
    },
    credentials,
    cookies,
    clock: services.clock,
    maxPageSize: services.config.maxPageSize,
    accessClaims,
    services,
    request,
    viewer: viewerOf,
    viewerLanguage: () => viewerLanguage,
    async requireViewer() {
      const user = await viewerOf();
      if (!user) throw REQUEST_ERRORS.unauthenticated();
      return user;
    },
  };
}
