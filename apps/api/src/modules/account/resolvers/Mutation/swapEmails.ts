import type { MutationResolvers } from '../../../../__generated__/resolvers-types.generated.js';

export const swapEmails: MutationResolvers['swapEmails'] = async (
  _parent,
  { password },
  { em, services, requireViewer },
) => {
  const result = await services.account.swapEmails(em, await requireViewer(), password);
  return result.success ? { success: true, errors: null } : result;
};
