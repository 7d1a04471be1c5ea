import type { MutationResolvers } from '../../../../__generated__/resolvers-types.generated.js';

export const verifyToken: MutationResolvers['verifyToken'] = async (_parent, { token }, { services }) => {
  const result = await services.auth.verifyToken(token);
  if (!result.success) return result;
  return { success: true, errors: null, payload: { ...result.payload } };
};
