import type { MutationResolvers } from '../../../../__generated__/resolvers-types.generated.js';
import { notAvailableYet } from '../../../../errors/not-available.js';

export const sendSecondaryEmailActivation: MutationResolvers['sendSecondaryEmailActivation'] = () =>
  notAvailableYet('sendSecondaryEmailActivation', 'account lifecycle: issue 3');
