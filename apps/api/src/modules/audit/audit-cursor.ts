import { requestError } from '../base/errors/request-errors.js';

/** Cursors of audit pages: the entry id, opaque to clients. */
export const encodeAuditCursor = (id: string) => Buffer.from(`audit:${id}`, 'utf8').toString('base64');

/** The id in an `after` cursor; a malformed one is the client's error (BAD_USER_INPUT). */
export function decodeAuditCursor(cursor: string): string {
  const match = /^audit:([1-9]\d{0,18})$/.exec(Buffer.from(cursor, 'base64').toString('utf8'));
  if (!match) {
    throw requestError('BAD_USER_INPUT', '`after` is not a valid cursor of this connection.', {
      argument: 'after',
    });
  }
  return match[1]!;
}

/** `first`, checked and capped at the server's maximum page size. */
export function auditPageSize(first: number | null | undefined, maxPageSize: number): number {
  if (first != null && first < 0) {
    throw requestError('BAD_USER_INPUT', '`first` must be a non-negative integer.', { argument: 'first' });
  }
  return Math.min(first ?? maxPageSize, maxPageSize);
}

/** A forward-only page of audit edges: `hasMore` from the store, earlier pages exist after a cursor. */
export function auditPage<Edge extends { cursor: string }>(
  edges: Edge[],
  hasMore: boolean,
  after: string | null | undefined,
) {
  return {
    edges,
    pageInfo: {
      hasNextPage: hasMore,
      hasPreviousPage: after != null,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges.at(-1)?.cursor ?? null,
    },
  };
}
