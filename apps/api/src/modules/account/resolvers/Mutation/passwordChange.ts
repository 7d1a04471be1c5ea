import type { MutationResolvers } from '../../../../__generated__/resolvers-types.generated.js';
import { setPairCookies } from '../../../base/pair-cookies.js';

export const passwordChange: MutationResolvers['passwordChange'] = async (
  _parent,
  args,
  { em, services, requireViewer, request, cookies },
) => {
  const result = await services.account.passwordChange(em, await requireViewer(), args, request);
  if (!result.success) return result;
  // Without a new pair (the token store was down after the change committed) no cookies are set.
  if (result.token !== null) setPairCookies(cookies, result);
  return { success: true, errors: null, token: result.token, refreshToken: result.refreshToken };
};
