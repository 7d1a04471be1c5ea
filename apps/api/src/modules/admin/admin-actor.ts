import { GraphQLError } from 'graphql';
import type { GraphQLContext } from '../../graphql/context.js';
import type { AdminActor } from './admin.service.js';

/**
 * The signed-in user behind an admin operation. The field's directive has already let them in; the
 * throw only guards against a field that was (wrongly) marked `@public`.
 */
export async function adminActor(ctx: GraphQLContext): Promise<AdminActor> {
  const user = await ctx.viewer();
  if (!user)
    throw new GraphQLError('You must be signed in to do this.', { extensions: { code: 'UNAUTHENTICATED' } });
  return { user, meta: { ip: ctx.request.ip, userAgent: ctx.request.userAgent } };
}
