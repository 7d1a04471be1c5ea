import type { MutationResolvers } from '../../../../__generated__/resolvers-types.generated.js';
import { notAvailableYet } from '../../../../errors/not-available.js';

export const removeSecondaryEmail: MutationResolvers['removeSecondaryEmail'] = () =>
  notAvailableYet('removeSecondaryEmail', 'account lifecycle: issue 3');
