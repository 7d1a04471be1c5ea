import { GraphQLError } from 'graphql';
import type { QueryResolvers } from '../../../../__generated__/resolvers-types.generated.js';

/** Staff only (`@staff`). */
export const userPermissions: QueryResolvers['userPermissions'] = async (_parent, args, { em, services }) => {
  const target = await services.admin.findTarget(em, args.user);
  if (!target)
    throw new GraphQLError('Unknown user.', { extensions: { code: 'NOT_FOUND', argument: 'user' } });
  return services.permissions.permissionsOf(em, target.id);
};
