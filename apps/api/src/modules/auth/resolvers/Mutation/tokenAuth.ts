import type { MutationResolvers } from '../../../../__generated__/resolvers-types.generated.js';
import { deliverSignInPair } from '../../../base/pair-cookies.js';

export const tokenAuth: MutationResolvers['tokenAuth'] = async (
  _parent,
  args,
  { em, services, request, cookies },
) => {
  const result = await services.auth.tokenAuth(em, args, request);
  if (!result.success) return result;
  return {
    success: true,
    errors: null,
    ...deliverSignInPair(cookies, result),
    payload: { ...result.payload },
    refreshExpiresIn: result.refreshExpiresIn,
    user: result.user,
    unarchiving: result.unarchiving,
  };
};
