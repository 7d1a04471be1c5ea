import type { MutationResolvers } from '../../../../__generated__/resolvers-types.generated.js';

export const revokeToken: MutationResolvers['revokeToken'] = async (
  _parent,
  args,
  { services, request, credentials },
) => {
  const fromCookie = args.refreshToken == null;
  const result = await services.tokens.revoke(args.refreshToken ?? credentials.refreshCookie, {
    ...request,
    // Only a revoked cookie is deleted: revoking some other token leaves this browser's cookie be.
    tokenCookies: fromCookie ? request.tokenCookies : null,
  });
  if (!result.success) return result;
  return { success: true, errors: null, revoked: result.revoked };
};
