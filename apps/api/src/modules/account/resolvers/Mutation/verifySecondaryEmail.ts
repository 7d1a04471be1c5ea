import type { MutationResolvers } from '../../../../__generated__/resolvers-types.generated.js';

export const verifySecondaryEmail: MutationResolvers['verifySecondaryEmail'] = async (
  _parent,
  { token },
  { em, services },
) => {
  const result = await services.account.verifySecondaryEmail(em, token);
  return result.success ? { success: true, errors: null } : result;
};
