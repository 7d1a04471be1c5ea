import type { EntityManager } from '@mikro-orm/postgresql';
import { GraphQLError } from 'graphql';
import { createMikroOrmSqlClient } from '../../db/sql-client.js';
import { requestError } from '../base/errors/request-errors.js';
import { User } from './user.entity.js';

/** The reference's `users` filters; all combine with AND. Strings compare case-insensitively. */
export interface UserFilters {
  email?: string | null;
  username?: string | null;
  username_Icontains?: string | null;
  username_Istartswith?: string | null;
  isActive?: boolean | null;
  status_Archived?: boolean | null;
  status_Verified?: boolean | null;
  status_SecondaryEmail?: string | null;
}

export interface PageArgs {
  first?: number | null;
  after?: string | null;
  last?: number | null;
  before?: string | null;
}

export interface UserConnection {
  edges: Array<{ node: User; cursor: string }>;
  pageInfo: {
    hasNextPage: boolean;
    hasPreviousPage: boolean;
    startCursor: string | null;
    endCursor: string | null;
  };
  totalCount: number;
}

/** A position in the (date_joined, id) order. */
interface Position {
  dateJoined: Date;
  id: number;
}

const CURSOR_PREFIX = 'users:';

/** Opaque cursors: base64 of `users:<ISO date joined>|<pk>`. */
export function encodeUserCursor(user: Position): string {
  return Buffer.from(`${CURSOR_PREFIX}${user.dateJoined.toISOString()}|${user.id}`, 'utf8').toString(
    'base64',
  );
}

function decodeCursor(cursor: string, argument: string): Position {
  const decoded = Buffer.from(cursor, 'base64').toString('utf8');
  const match = /^users:(.+)\|([1-9]\d{0,9})$/.exec(decoded);
  const date = match ? new Date(match[1]!) : null;
  if (!match || !date || Number.isNaN(date.getTime())) {
    throw new GraphQLError(`\`${argument}\` is not a valid cursor of this connection.`, {
      extensions: { code: 'BAD_USER_INPUT', argument },
    });
  }
  return { dateJoined: date, id: Number(match[2]) };
}

function pageSize(value: number | null | undefined, argument: string, max: number): number | null {
  if (value == null) return null;
  if (!Number.isInteger(value) || value < 0) {
    throw new GraphQLError(`\`${argument}\` must be a non-negative integer.`, {
      extensions: { code: 'BAD_USER_INPUT', argument },
    });
  }
  return Math.min(value, max);
}

/** Escapes LIKE wildcards so `_` and `%` in a search string match themselves. */
function likeLiteral(value: string): string {
  return value.replace(/[\\%_]/g, (char) => `\\${char}`);
}

function filterSql(filters: UserFilters): { sql: string; params: unknown[] } {
  const clauses: string[] = [];
  const params: unknown[] = [];
  const add = (clause: string, value: unknown) => {
    clauses.push(clause);
    params.push(value);
  };
  if (filters.email != null) add(`lower("email") = lower(?)`, filters.email);
  if (filters.username != null) add(`lower("username") = lower(?)`, filters.username);
  if (filters.username_Icontains != null) {
    add(`lower("username") like lower(?) escape '\\'`, `%${likeLiteral(filters.username_Icontains)}%`);
  }
  if (filters.username_Istartswith != null) {
    add(`lower("username") like lower(?) escape '\\'`, `${likeLiteral(filters.username_Istartswith)}%`);
  }
  if (filters.isActive != null) add(`"is_active" = ?`, filters.isActive);
  if (filters.status_Archived != null) add(`"archived" = ?`, filters.status_Archived);
  if (filters.status_Verified != null) add(`"verified" = ?`, filters.status_Verified);
  if (filters.status_SecondaryEmail != null) {
    add(`lower("secondary_email") = lower(?)`, filters.status_SecondaryEmail);
  }
  return { sql: clauses.length ? clauses.join(' and ') : 'true', params };
}

/**
 * One page of users in (date_joined, id) order, keyset-paginated both ways. Always exactly two SQL
 * queries whatever the page size: one aggregate (total, and how many rows lie outside the cursors,
 * which makes both `hasPreviousPage` and `hasNextPage` exact) and one for the rows.
 */
export async function findUserConnection(
  em: EntityManager,
  filters: UserFilters,
  page: PageArgs,
  maxPageSize: number,
): Promise<UserConnection> {
  const first = pageSize(page.first, 'first', maxPageSize);
  const last = pageSize(page.last, 'last', maxPageSize);
  if (first !== null && last !== null) {
    throw requestError('BAD_USER_INPUT', 'Give `first` or `last`, not both.');
  }
  const after = page.after ? decodeCursor(page.after, 'after') : null;
  const before = page.before ? decodeCursor(page.before, 'before') : null;
  const where = filterSql(filters);
  const sql = createMikroOrmSqlClient(em);

  const [counts] = await sql.query<{ total: number; through_after: number; from_before: number }>(
    `select count(*)::int as "total",
       ${after ? `count(*) filter (where ("date_joined", "id") <= (?, ?))::int` : '0'} as "through_after",
       ${before ? `count(*) filter (where ("date_joined", "id") >= (?, ?))::int` : '0'} as "from_before"
     from "user" where ${where.sql}`,
    [
      ...(after ? [after.dateJoined, after.id] : []),
      ...(before ? [before.dateJoined, before.id] : []),
      ...where.params,
    ],
  );
  const total = counts?.total ?? 0;
  const throughAfter = counts?.through_after ?? 0;
  const fromBefore = counts?.from_before ?? 0;
  // Rows strictly between the cursors; `last` reads them from the end.
  const between = Math.max(0, total - throughAfter - fromBefore);
  const backwards = last !== null;
  const limit = Math.min(backwards ? last : (first ?? maxPageSize), between);

  let nodes: User[] = [];
  if (limit > 0) {
    const bounds: string[] = [];
    const params: unknown[] = [...where.params];
    if (after) {
      bounds.push(`("date_joined", "id") > (?, ?)`);
      params.push(after.dateJoined, after.id);
    }
    if (before) {
      bounds.push(`("date_joined", "id") < (?, ?)`);
      params.push(before.dateJoined, before.id);
    }
    params.push(limit);
    const direction = backwards ? 'desc' : 'asc';
    const rows = await sql.query(
      `select * from "user" where (${where.sql})${bounds.map((bound) => ` and ${bound}`).join('')}
       order by "date_joined" ${direction}, "id" ${direction} limit ?`,
      params,
    );
    nodes = rows.map((row) => em.map(User, row));
    if (backwards) nodes.reverse();
  }

  const edges = nodes.map((node) => ({ node, cursor: encodeUserCursor(node) }));
  return {
    edges,
    totalCount: total,
    pageInfo: {
      hasPreviousPage: throughAfter > 0 || (backwards && between > limit),
      hasNextPage: fromBefore > 0 || (!backwards && between > limit),
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges.at(-1)?.cursor ?? null,
    },
  };
}
