import type { MutationResolvers } from '../../../../__generated__/resolvers-types.generated.js';
import { notAvailableYet } from '../../../../errors/not-available.js';

export const refreshToken: MutationResolvers['refreshToken'] = () =>
  notAvailableYet('refreshToken', 'token rotation: issue 4');
