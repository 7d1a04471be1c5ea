import type { MutationResolvers } from '../../../../__generated__/resolvers-types.generated.js';
import { failure } from '../../../base/errors/results.js';
import { clearPairCookies } from '../../../base/pair-cookies.js';

export const revokeSession: MutationResolvers['revokeSession'] = async (
  _parent,
  { id },
  { services, requireViewer, accessClaims, cookies },
) => {
  const user = await requireViewer();
  // Someone else's session and an unknown one answer alike.
  if (!(await services.sessions.revoke(user.id, id))) return failure('id', 'invalid');
  if ((await accessClaims())?.sid === id) clearPairCookies(cookies);
  return { success: true, errors: null };
};
