import type { MutationResolvers } from '../../../../__generated__/resolvers-types.generated.js';
import { adminActor } from '../../admin-actor.js';

/** Superusers only (`@superuser`); audited. */
export const removeUserFromGroup: MutationResolvers['removeUserFromGroup'] = async (_parent, args, ctx) =>
  ctx.services.admin.setMembership(ctx.em, await adminActor(ctx), args.user, args.group, false);
