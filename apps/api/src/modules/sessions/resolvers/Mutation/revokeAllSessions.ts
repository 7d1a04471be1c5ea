import type { MutationResolvers } from '../../../../__generated__/resolvers-types.generated.js';
import { clearPairCookies } from '../../../base/pair-cookies.js';

export const revokeAllSessions: MutationResolvers['revokeAllSessions'] = async (
  _parent,
  _args,
  { services, requireViewer, cookies },
) => {
  const user = await requireViewer();
  const revokedCount = await services.sessions.revokeAll(user.id);
  clearPairCookies(cookies);
  return { success: true, errors: null, revokedCount };
};
