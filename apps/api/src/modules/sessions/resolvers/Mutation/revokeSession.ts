import type { MutationResolvers } from '../../../../__generated__/resolvers-types.generated.js';
import { failure } from '../../../../errors/expected-errors.js';

export const revokeSession: MutationResolvers['revokeSession'] = async (
  _parent,
  { id },
  { services, viewer, accessClaims, request },
) => {
  const user = await viewer();
  if (!user) return failure('nonFieldErrors', 'unauthenticated');
  // Someone else's session and an unknown one answer alike.
  if (!(await services.sessions.revoke(user.id, id))) return failure('id', 'invalid');
  if ((await accessClaims())?.sid === id) {
    request.tokenCookies?.clearAccess();
    request.tokenCookies?.clearRefresh();
  }
  return { success: true, errors: null };
};
