import type { MutationResolvers } from '../../../../__generated__/resolvers-types.generated.js';

export const verifyAccount: MutationResolvers['verifyAccount'] = async (
  _parent,
  { token },
  { em, services },
) => {
  const result = await services.account.verifyAccount(em, token);
  return result.success ? { success: true, errors: null } : result;
};
