import type { MutationResolvers } from '../../../../__generated__/resolvers-types.generated.js';
import { adminActor } from '../../admin-actor.js';

/** Staff only (`@staff`); audited. Also revokes every refresh token of the user. */
export const deactivateUser: MutationResolvers['deactivateUser'] = async (_parent, args, ctx) =>
  ctx.services.admin.changeUser(ctx.em, await adminActor(ctx), args.user, {
    action: 'admin.deactivate_user',
    field: 'isActive',
    value: false,
  });
