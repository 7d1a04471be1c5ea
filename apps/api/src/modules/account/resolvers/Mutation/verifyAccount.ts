import type { MutationResolvers } from '../../../../__generated__/resolvers-types.generated.js';
import { notAvailableYet } from '../../../../errors/not-available.js';

export const verifyAccount: MutationResolvers['verifyAccount'] = () =>
  notAvailableYet('verifyAccount', 'account lifecycle: issue 3');
