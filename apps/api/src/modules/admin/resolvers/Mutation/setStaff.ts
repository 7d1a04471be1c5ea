import type { MutationResolvers } from '../../../../__generated__/resolvers-types.generated.js';
import { adminActor } from '../../admin-actor.js';

/** Superusers only (`@superuser`); audited. */
export const setStaff: MutationResolvers['setStaff'] = async (_parent, args, ctx) =>
  ctx.services.admin.changeUser(ctx.em, await adminActor(ctx), args.user, {
    action: 'admin.set_staff',
    field: 'isStaff',
    value: args.isStaff,
  });
