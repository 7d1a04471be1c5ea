import type { MutationResolvers } from '../../../../__generated__/resolvers-types.generated.js';
import { adminActor } from '../../admin-actor.js';

/** Staff only (`@staff`); audited. */
export const unarchiveUser: MutationResolvers['unarchiveUser'] = async (_parent, args, ctx) =>
  ctx.services.admin.changeUser(ctx.em, await adminActor(ctx), args.user, {
    action: 'admin.unarchive_user',
    field: 'archived',
    value: false,
  });
