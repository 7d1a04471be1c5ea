import type { MutationResolvers } from '../../../../__generated__/resolvers-types.generated.js';

export const revokeToken: MutationResolvers['revokeToken'] = async (
  _parent,
  args,
  { services, credentials, cookies },
) => {
  const fromCookie = args.refreshToken == null;
  const result = await services.tokens.revoke(args.refreshToken ?? credentials.refreshCookie);
  if (!result.success) return result;
  // Only a revoked cookie is deleted: revoking some other token leaves this browser's cookie be.
  if (fromCookie) cookies.clearRefresh();
  return { success: true, errors: null, revoked: result.revoked };
};
