import type { MutationResolvers } from '../../../../__generated__/resolvers-types.generated.js';

export const archiveAccount: MutationResolvers['archiveAccount'] = async (
  _parent,
  { password },
  { em, services, requireViewer },
) => {
  const result = await services.account.archiveAccount(em, await requireViewer(), password);
  return result.success ? { success: true, errors: null } : result;
};
