import type { MutationResolvers } from '../../../../__generated__/resolvers-types.generated.js';
import { adminActor } from '../../admin-actor.js';

/** Superusers only (`@superuser`); audited. */
export const grantPermission: MutationResolvers['grantPermission'] = async (_parent, args, ctx) =>
  ctx.services.admin.setPermission(ctx.em, await adminActor(ctx), args.user, args.permission, true);
