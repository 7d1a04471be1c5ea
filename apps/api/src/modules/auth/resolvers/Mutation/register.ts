import type { MutationResolvers } from '../../../../__generated__/resolvers-types.generated.js';

export const register: MutationResolvers['register'] = async (_parent, args, { em, services, request }) => {
  const result = await services.auth.register(em, args, request);
  if (!result.success) return result;
  return {
    success: true,
    errors: null,
    token: result.tokens?.token ?? null,
    refreshToken: result.tokens?.refreshToken ?? null,
  };
};
