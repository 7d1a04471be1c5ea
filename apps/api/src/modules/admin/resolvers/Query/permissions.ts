import type { QueryResolvers } from '../../../../__generated__/resolvers-types.generated.js';

/** Staff only (`@staff`). */
export const permissions: QueryResolvers['permissions'] = (_parent, _args, { em, services }) =>
  services.permissions.listPermissions(em);
