import type { MutationResolvers } from '../../../../__generated__/resolvers-types.generated.js';

export const revokeOtherSessions: MutationResolvers['revokeOtherSessions'] = async (
  _parent,
  _args,
  { services, requireViewer, accessClaims },
) => {
  const user = await requireViewer();
  const revokedCount = await services.sessions.revokeOthers(user.id, (await accessClaims())?.sid ?? null);
  return { success: true, errors: null, revokedCount };
};
