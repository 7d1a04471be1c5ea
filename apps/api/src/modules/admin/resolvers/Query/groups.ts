import type { QueryResolvers } from '../../../../__generated__/resolvers-types.generated.js';

/** Staff only (`@staff`). Two queries whatever the number of groups. */
export const groups: QueryResolvers['groups'] = async (_parent, _args, { em, services }) =>
  (await services.permissions.listGroups(em)).map((group) => ({ ...group, pk: group.id }));
