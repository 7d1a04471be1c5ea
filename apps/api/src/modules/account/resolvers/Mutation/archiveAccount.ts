import type { MutationResolvers } from '../../../../__generated__/resolvers-types.generated.js';
import { notAvailableYet } from '../../../../errors/not-available.js';

export const archiveAccount: MutationResolvers['archiveAccount'] = () =>
  notAvailableYet('archiveAccount', 'account lifecycle: issue 3');
