import type { QueryResolvers } from '../../../../__generated__/resolvers-types.generated.js';

// @login lets only signed-in users in; `sid` of the access token marks the current session.
export const sessions: QueryResolvers['sessions'] = async (
  _parent,
  _args,
  { services, requireViewer, accessClaims },
) => {
  const user = await requireViewer();
  return services.sessions.list(user.id, (await accessClaims())?.sid ?? null);
};
