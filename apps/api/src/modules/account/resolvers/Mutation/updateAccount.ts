import type { MutationResolvers } from '../../../../__generated__/resolvers-types.generated.js';

export const updateAccount: MutationResolvers['updateAccount'] = async (
  _parent,
  args,
  { em, services, requireViewer },
) => {
  const result = await services.account.updateAccount(em, await requireViewer(), args);
  return result.success ? { success: true, errors: null, user: result.user } : result;
};
