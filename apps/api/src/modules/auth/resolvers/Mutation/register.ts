import type { MutationResolvers } from '../../../../__generated__/resolvers-types.generated.js';
import { setPairCookies } from '../../../base/pair-cookies.js';

export const register: MutationResolvers['register'] = async (
  _parent,
  args,
  { em, services, request, cookies },
) => {
  const result = await services.auth.register(em, args, request);
  if (!result.success) return result;
  if (result.tokens) setPairCookies(cookies, result.tokens);
  return {
    success: true,
    errors: null,
    token: result.tokens?.token ?? null,
    refreshToken: result.tokens?.refreshToken ?? null,
  };
};
