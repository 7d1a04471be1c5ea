import type { MutationResolvers } from '../../../../__generated__/resolvers-types.generated.js';
import { setPairCookies } from '../../../base/pair-cookies.js';

export const refreshToken: MutationResolvers['refreshToken'] = async (
  _parent,
  args,
  { em, services, request, credentials, cookies },
) => {
  const result = await services.tokens.refresh(em, args.refreshToken ?? credentials.refreshCookie, request);
  if (!result.success) return result;
  setPairCookies(cookies, result);
  return {
    success: true,
    errors: null,
    token: result.token,
    refreshToken: result.refreshToken,
    payload: { ...result.payload },
    refreshExpiresIn: result.refreshExpiresIn,
  };
};
