import type { MutationResolvers } from '../../../../__generated__/resolvers-types.generated.js';
import { deliverSignInPair } from '../../../base/pair-cookies.js';

export const register: MutationResolvers['register'] = async (
  _parent,
  args,
  { em, services, request, cookies },
) => {
  const result = await services.auth.register(em, args, request);
  if (!result.success) return result;
  return {
    success: true,
    errors: null,
    ...(result.tokens ? deliverSignInPair(cookies, result.tokens) : { token: null, refreshToken: null }),
  };
};
