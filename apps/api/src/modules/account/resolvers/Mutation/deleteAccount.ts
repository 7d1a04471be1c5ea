import type { MutationResolvers } from '../../../../__generated__/resolvers-types.generated.js';

export const deleteAccount: MutationResolvers['deleteAccount'] = async (
  _parent,
  { password },
  { em, services, requireViewer },
) => {
  const result = await services.account.deleteAccount(em, await requireViewer(), password);
  return result.success ? { success: true, errors: null } : result;
};
