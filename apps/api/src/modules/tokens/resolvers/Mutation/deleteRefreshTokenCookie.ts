import type { MutationResolvers } from '../../../../__generated__/resolvers-types.generated.js';

export const deleteRefreshTokenCookie: MutationResolvers['deleteRefreshTokenCookie'] = (
  _parent,
  _args,
  { cookies, credentials },
) => {
  cookies.clearRefresh();
  return { success: true, errors: null, deleted: credentials.refreshCookie !== null };
};
