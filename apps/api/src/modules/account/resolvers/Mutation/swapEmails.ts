import type { MutationResolvers } from '../../../../__generated__/resolvers-types.generated.js';
import { notAvailableYet } from '../../../../errors/not-available.js';

export const swapEmails: MutationResolvers['swapEmails'] = () =>
  notAvailableYet('swapEmails', 'account lifecycle: issue 3');
