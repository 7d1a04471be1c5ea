import type { MutationResolvers } from '../../../../__generated__/resolvers-types.generated.js';
import { notAvailableYet } from '../../../../errors/not-available.js';

export const deleteAccount: MutationResolvers['deleteAccount'] = () =>
  notAvailableYet('deleteAccount', 'account lifecycle: issue 3');
