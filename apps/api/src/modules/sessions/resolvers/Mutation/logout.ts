import type { MutationResolvers } from '../../../../__generated__/resolvers-types.generated.js';
import { failure } from '../../../../errors/expected-errors.js';

export const logout: MutationResolvers['logout'] = async (
  _parent,
  args,
  { services, viewer, accessClaims, credentials, request },
) => {
  const [user, claims] = await Promise.all([viewer(), accessClaims()]);
  const refreshToken = args.refreshToken ?? credentials.refreshCookie;
  const ended = await services.sessions.logout(claims?.sid ?? null, user?.id ?? null, refreshToken);
  // Cookies go whatever happened: a browser asking to sign out must end up signed out.
  request.tokenCookies?.clearAccess();
  request.tokenCookies?.clearRefresh();
  if (!ended) return failure('nonFieldErrors', user || refreshToken ? 'invalid_token' : 'unauthenticated');
  return { success: true, errors: null };
};
