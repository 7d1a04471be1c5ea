import type { MutationResolvers } from '../../../../__generated__/resolvers-types.generated.js';

export const refreshToken: MutationResolvers['refreshToken'] = async (
  _parent,
  args,
  { em, services, request, credentials },
) => {
  const result = await services.tokens.refresh(em, args.refreshToken ?? credentials.refreshCookie, request);
  if (!result.success) return result;
  return {
    success: true,
    errors: null,
    token: result.token,
    refreshToken: result.refreshToken,
    payload: { ...result.payload },
    refreshExpiresIn: result.refreshExpiresIn,
  };
};
