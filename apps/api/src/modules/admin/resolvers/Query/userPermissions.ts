import type { QueryResolvers } from '../../../../__generated__/resolvers-types.generated.js';
import { REQUEST_ERRORS } from '../../../base/errors/request-errors.js';

/** Staff only (`@staff`). */
export const userPermissions: QueryResolvers['userPermissions'] = async (_parent, args, { em, services }) => {
  const target = await services.admin.findTarget(em, args.user);
  if (!target) throw REQUEST_ERRORS.unknownUser();
  return services.permissions.permissionsOf(em, target.id);
};
