import type { MutationResolvers } from '../../../../__generated__/resolvers-types.generated.js';
import { notAvailableYet } from '../../../../errors/not-available.js';

export const revokeToken: MutationResolvers['revokeToken'] = () =>
  notAvailableYet('revokeToken', 'token rotation: issue 4');
