import type { MutationResolvers } from '../../../../__generated__/resolvers-types.generated.js';
import { adminActor } from '../../admin-actor.js';

/** Superusers only (`@superuser`); audited. Grants through groups stay. */
export const removePermission: MutationResolvers['removePermission'] = async (_parent, args, ctx) =>
  ctx.services.admin.setPermission(ctx.em, await adminActor(ctx), args.user, args.permission, false);
