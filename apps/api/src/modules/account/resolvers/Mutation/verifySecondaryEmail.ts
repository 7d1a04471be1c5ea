import type { MutationResolvers } from '../../../../__generated__/resolvers-types.generated.js';
import { notAvailableYet } from '../../../../errors/not-available.js';

export const verifySecondaryEmail: MutationResolvers['verifySecondaryEmail'] = () =>
  notAvailableYet('verifySecondaryEmail', 'account lifecycle: issue 3');
