import type { MutationResolvers } from '../../../../__generated__/resolvers-types.generated.js';
import { failure } from '../../../base/errors/results.js';

export const verifyToken: MutationResolvers['verifyToken'] = async (
  _parent,
  { token },
  { services, credentials },
) => {
  // Cookie mode: with no argument, the access-token cookie is what gets verified.
  const presented = token ?? (credentials.accessTokenSource === 'cookie' ? credentials.accessToken : null);
  if (!presented) return failure('token', 'required');
  const result = await services.auth.verifyToken(presented);
  if (!result.success) return result;
  return { success: true, errors: null, payload: { ...result.payload } };
};
