import type { MutationResolvers } from '../../../../__generated__/resolvers-types.generated.js';
import { deliverPair } from '../../../base/pair-cookies.js';

export const passwordChange: MutationResolvers['passwordChange'] = async (
  _parent,
  args,
  { em, services, requireViewer, request, cookies },
) => {
  const result = await services.account.passwordChange(em, await requireViewer(), args, request);
  if (!result.success) return result;
  // Without a new pair (the token store was down after the change committed) no cookies are set.
  if (result.token === null) return { success: true, errors: null, token: null, refreshToken: null };
  return { success: true, errors: null, ...deliverPair(cookies, { ...result, token: result.token }) };
};
