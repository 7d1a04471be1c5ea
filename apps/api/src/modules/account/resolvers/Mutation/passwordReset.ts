import type { MutationResolvers } from '../../../../__generated__/resolvers-types.generated.js';

export const passwordReset: MutationResolvers['passwordReset'] = async (
  _parent,
  { token, ...passwords },
  { em, services },
) => {
  const result = await services.account.passwordReset(em, token, passwords);
  return result.success ? { success: true, errors: null } : result;
};
