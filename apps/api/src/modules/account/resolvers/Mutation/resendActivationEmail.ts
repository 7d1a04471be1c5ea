import type { MutationResolvers } from '../../../../__generated__/resolvers-types.generated.js';
import { notAvailableYet } from '../../../../errors/not-available.js';

export const resendActivationEmail: MutationResolvers['resendActivationEmail'] = () =>
  notAvailableYet('resendActivationEmail', 'account lifecycle: issue 3');
