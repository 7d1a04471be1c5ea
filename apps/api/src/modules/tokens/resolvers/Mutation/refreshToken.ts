import type { MutationResolvers } from '../../../../__generated__/resolvers-types.generated.js';
import { deliverPair } from '../../../base/pair-cookies.js';

export const refreshToken: MutationResolvers['refreshToken'] = async (
  _parent,
  args,
  { em, services, request, credentials, cookies },
) => {
  const result = await services.tokens.refresh(em, args.refreshToken ?? credentials.refreshCookie, request);
  if (!result.success) return result;
  return {
    success: true,
    errors: null,
    ...deliverPair(cookies, result),
    payload: { ...result.payload },
    refreshExpiresIn: result.refreshExpiresIn,
  };
};
