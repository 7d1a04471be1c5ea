import type { MutationResolvers } from '../../../../__generated__/resolvers-types.generated.js';

export const deleteTokenCookie: MutationResolvers['deleteTokenCookie'] = (
  _parent,
  _args,
  { cookies, credentials },
) => {
  cookies.clearAccess();
  return { success: true, errors: null, deleted: credentials.accessTokenSource === 'cookie' };
};
