import type { QueryResolvers } from '../../../../__generated__/resolvers-types.generated.js';
import { findUserConnection } from '../../user-connection.js';

/** Staff only (`@staff` in the SDL). Two SQL queries per page whatever its size. */
export const users: QueryResolvers['users'] = (_parent, { first, after, last, before, ...filters }, ctx) =>
  findUserConnection(ctx.em, filters, { first, after, last, before }, ctx.maxPageSize);
