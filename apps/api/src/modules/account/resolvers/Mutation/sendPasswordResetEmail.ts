import type { MutationResolvers } from '../../../../__generated__/resolvers-types.generated.js';

export const sendPasswordResetEmail: MutationResolvers['sendPasswordResetEmail'] = async (
  _parent,
  { email },
  { em, services },
) => {
  const result = await services.account.sendPasswordResetEmail(em, email);
  return result.success ? { success: true, errors: null } : result;
};
