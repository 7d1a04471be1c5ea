import type { MutationResolvers } from '../../../../__generated__/resolvers-types.generated.js';

export const passwordChange: MutationResolvers['passwordChange'] = async (
  _parent,
  args,
  { em, services, viewer, request },
) => {
  const result = await services.account.passwordChange(em, await viewer(), args, request);
  if (!result.success) return result;
  return { success: true, errors: null, token: result.token, refreshToken: result.refreshToken };
};
