import type { MutationResolvers } from '../../../../__generated__/resolvers-types.generated.js';

export const passwordSet: MutationResolvers['passwordSet'] = async (
  _parent,
  { token, ...passwords },
  { em, services },
) => {
  const result = await services.account.passwordSet(em, token, passwords);
  return result.success ? { success: true, errors: null } : result;
};
