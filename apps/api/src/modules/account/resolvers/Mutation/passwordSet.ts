import type { MutationResolvers } from '../../../../__generated__/resolvers-types.generated.js';
import { notAvailableYet } from '../../../../errors/not-available.js';

export const passwordSet: MutationResolvers['passwordSet'] = () =>
  notAvailableYet('passwordSet', 'account lifecycle: issue 3');
