import type { QueryResolvers } from '../../../../__generated__/resolvers-types.generated.js';

// @login guarantees a viewer; `sid` of the access token marks the current session.
export const sessions: QueryResolvers['sessions'] = async (
  _parent,
  _args,
  { services, viewer, accessClaims },
) => {
  const user = await viewer();
  if (!user) return [];
  return services.sessions.list(user.id, (await accessClaims())?.sid ?? null);
};
