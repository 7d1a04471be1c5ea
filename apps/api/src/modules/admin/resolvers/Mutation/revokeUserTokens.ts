import type { MutationResolvers } from '../../../../__generated__/resolvers-types.generated.js';
import { adminActor } from '../../admin-actor.js';

/** Staff only (`@staff`); audited. Ids are the digests listed by `userSessions`. */
export const revokeUserTokens: MutationResolvers['revokeUserTokens'] = async (_parent, args, ctx) =>
  ctx.services.admin.revokeTokens(ctx.em, await adminActor(ctx), args.user, args.tokens);
