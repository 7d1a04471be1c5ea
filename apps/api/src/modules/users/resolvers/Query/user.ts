import type { QueryResolvers } from '../../../../__generated__/resolvers-types.generated.js';
import { fromGlobalId } from '../../../base/global-id.js';
import { User } from '../../user.entity.js';

/** Staff only (`@staff` in the SDL). Null for an unknown id or an id of another type, like graphene. */
export const user: QueryResolvers['user'] = async (_parent, { id }, { em }) => {
  const pk = fromGlobalId(id, 'UserNode');
  return pk === null ? null : em.findOne(User, { id: pk });
};
