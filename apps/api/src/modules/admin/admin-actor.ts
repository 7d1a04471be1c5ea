import type { GraphQLContext } from '../base/graphql-context.js';
import type { AdminActor } from './admin.service.js';

/** The signed-in user behind an admin operation (its directive let them in), and where they act from. */
export async function adminActor(ctx: GraphQLContext): Promise<AdminActor> {
  const user = await ctx.requireViewer();
  return { user, meta: { ip: ctx.request.ip, userAgent: ctx.request.userAgent } };
}
