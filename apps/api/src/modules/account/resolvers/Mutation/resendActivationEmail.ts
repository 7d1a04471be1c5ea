import type { MutationResolvers } from '../../../../__generated__/resolvers-types.generated.js';

export const resendActivationEmail: MutationResolvers['resendActivationEmail'] = async (
  _parent,
  { email },
  { em, services },
) => {
  const result = await services.account.resendActivationEmail(em, email);
  return result.success ? { success: true, errors: null } : result;
};
