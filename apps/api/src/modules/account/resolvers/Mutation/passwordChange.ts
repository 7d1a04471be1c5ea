import type { MutationResolvers } from '../../../../__generated__/resolvers-types.generated.js';
import { notAvailableYet } from '../../../../errors/not-available.js';

export const passwordChange: MutationResolvers['passwordChange'] = () =>
  notAvailableYet('passwordChange', 'account lifecycle: issue 3');
