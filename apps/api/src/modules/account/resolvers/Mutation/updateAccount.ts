import type { MutationResolvers } from '../../../../__generated__/resolvers-types.generated.js';
import { notAvailableYet } from '../../../../errors/not-available.js';

export const updateAccount: MutationResolvers['updateAccount'] = () =>
  notAvailableYet('updateAccount', 'account lifecycle: issue 3');
