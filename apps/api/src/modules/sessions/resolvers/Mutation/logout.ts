import type { MutationResolvers } from '../../../../__generated__/resolvers-types.generated.js';
import { failure } from '../../../base/errors/results.js';
import { clearPairCookies } from '../../../base/pair-cookies.js';

export const logout: MutationResolvers['logout'] = async (
  _parent,
  args,
  { services, viewer, accessClaims, credentials, cookies },
) => {
  const [user, claims] = await Promise.all([viewer(), accessClaims()]);
  const refreshToken = args.refreshToken ?? credentials.refreshCookie;
  const ended = await services.sessions.logout(claims?.sid ?? null, user?.id ?? null, refreshToken);
  // Cookies go whatever happened: a browser asking to sign out must end up signed out.
  clearPairCookies(cookies);
  if (!ended) return failure('nonFieldErrors', user || refreshToken ? 'invalid_token' : 'unauthenticated');
  return { success: true, errors: null };
};
