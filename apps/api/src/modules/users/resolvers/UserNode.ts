import type { UserNodeResolvers } from '../../../__generated__/resolvers-types.generated.js';
import { toGlobalId } from '../../base/global-id.js';

/** Field resolvers where the entity and the API differ; every other field maps one to one. */
export const UserNode: UserNodeResolvers = {
  id: (user) => toGlobalId('UserNode', user.id),
  pk: (user) => user.id,
};
