import type { MutationResolvers } from '../../../../__generated__/resolvers-types.generated.js';
import { notAvailableYet } from '../../../../errors/not-available.js';

export const sendPasswordResetEmail: MutationResolvers['sendPasswordResetEmail'] = () =>
  notAvailableYet('sendPasswordResetEmail', 'account lifecycle: issue 3');
