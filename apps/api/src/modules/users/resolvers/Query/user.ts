import type { QueryResolvers } from '../../../../__generated__/resolvers-types.generated.js';
import { notAvailableYet } from '../../../../errors/not-available.js';

export const user: QueryResolvers['user'] = () => notAvailableYet('user', 'staff-only user listing: issue 5');
