import type { MutationResolvers } from '../../../../__generated__/resolvers-types.generated.js';
import { adminActor } from '../../admin-actor.js';

/** Superusers only (`@superuser`); audited. */
export const createGroup: MutationResolvers['createGroup'] = async (_parent, args, ctx) =>
  ctx.services.admin.createGroup(ctx.em, await adminActor(ctx), args.name, args.permissions ?? []);
