import type { MutationResolvers } from '../../../../__generated__/resolvers-types.generated.js';
import { failure } from '../../../../errors/expected-errors.js';

export const revokeAllSessions: MutationResolvers['revokeAllSessions'] = async (
  _parent,
  _args,
  { services, viewer, request },
) => {
  const user = await viewer();
  if (!user) return failure('nonFieldErrors', 'unauthenticated');
  const revokedCount = await services.sessions.revokeAll(user.id);
  request.tokenCookies?.clearAccess();
  request.tokenCookies?.clearRefresh();
  return { success: true, errors: null, revokedCount };
};
