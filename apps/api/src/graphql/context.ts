import type { EntityManager } from '@mikro-orm/postgresql';
import type { User } from '../modules/users/user.entity.js';
import type { Services } from '../services.js';

/** Facts about the HTTP request that resolvers and audit need. */
export interface RequestMeta {
  id: string;
  ip: string | null;
  userAgent: string | null;
}

/** Per-request context: its own EntityManager (never the global one), the viewer, the services. */
// A type alias (not an interface) so it satisfies graphql-http's `Record<PropertyKey, unknown>` bound.
export type GraphQLContext = {
  em: EntityManager;
  services: Services;
  request: RequestMeta;
  /** The signed-in user, looked up once and only when a resolver asks. */
  viewer(): Promise<User | null>;
};

export function createContext(
  services: Services,
  request: RequestMeta,
  accessToken: string | null,
): GraphQLContext {
  const em = services.db.orm.em.fork() as EntityManager;
  let viewer: Promise<User | null> | undefined;
  return {
    em,
    services,
    request,
    viewer() {
      viewer ??= accessToken ? services.auth.viewerFromAccessToken(em, accessToken) : Promise.resolve(null);
      return viewer;
    },
  };
}
