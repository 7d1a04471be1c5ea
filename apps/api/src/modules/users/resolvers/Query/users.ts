import type { QueryResolvers } from '../../../../__generated__/resolvers-types.generated.js';
import { notAvailableYet } from '../../../../errors/not-available.js';

export const users: QueryResolvers['users'] = () =>
  notAvailableYet('users', 'staff-only user listing: issue 5');
