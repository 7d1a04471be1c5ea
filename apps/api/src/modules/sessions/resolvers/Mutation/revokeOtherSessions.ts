import type { MutationResolvers } from '../../../../__generated__/resolvers-types.generated.js';
import { failure } from '../../../../errors/expected-errors.js';

export const revokeOtherSessions: MutationResolvers['revokeOtherSessions'] = async (
  _parent,
  _args,
  { services, viewer, accessClaims },
) => {
  const user = await viewer();
  if (!user) return failure('nonFieldErrors', 'unauthenticated');
  const revokedCount = await services.sessions.revokeOthers(user.id, (await accessClaims())?.sid ?? null);
  return { success: true, errors: null, revokedCount };
};
