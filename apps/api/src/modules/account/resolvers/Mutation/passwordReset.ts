import type { MutationResolvers } from '../../../../__generated__/resolvers-types.generated.js';
import { notAvailableYet } from '../../../../errors/not-available.js';

export const passwordReset: MutationResolvers['passwordReset'] = () =>
  notAvailableYet('passwordReset', 'account lifecycle: issue 3');
