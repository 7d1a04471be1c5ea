import type { MutationResolvers } from '../../../../__generated__/resolvers-types.generated.js';

export const sendSecondaryEmailActivation: MutationResolvers['sendSecondaryEmailActivation'] = async (
  _parent,
  args,
  { em, services, requireViewer },
) => {
  const result = await services.account.sendSecondaryEmailActivation(em, await requireViewer(), args);
  return result.success ? { success: true, errors: null } : result;
};
