import type { MutationResolvers } from '../../../../__generated__/resolvers-types.generated.js';
import { adminActor } from '../../admin-actor.js';

/** Staff only (`@staff`); audited. */
export const activateUser: MutationResolvers['activateUser'] = async (_parent, args, ctx) =>
  ctx.services.admin.changeUser(ctx.em, await adminActor(ctx), args.user, {
    action: 'admin.activate_user',
    field: 'isActive',
    value: true,
  });
