import type { QueryResolvers } from '../../../../__generated__/resolvers-types.generated.js';
import { requestError } from '../../../base/errors/request-errors.js';
import { fromGlobalId } from '../../../base/global-id.js';
import { User } from '../../../users/user.entity.js';

const encodeCursor = (id: string) => Buffer.from(`audit:${id}`, 'utf8').toString('base64');

function decodeCursor(cursor: string): string {
  const match = /^audit:([1-9]\d{0,18})$/.exec(Buffer.from(cursor, 'base64').toString('utf8'));
  if (!match) {
    throw requestError('BAD_USER_INPUT', '`after` is not a valid cursor of this connection.', {
      argument: 'after',
    });
  }
  return match[1]!;
}

/**
 * Superusers only (`@superuser`). Newest first. Actors are loaded in one query for the whole page,
 * so a page costs two queries whatever its size.
 */
export const auditLog: QueryResolvers['auditLog'] = async (_parent, args, { em, services, maxPageSize }) => {
  if (args.first != null && args.first < 0) {
    throw requestError('BAD_USER_INPUT', '`first` must be a non-negative integer.', { argument: 'first' });
  }
  const limit = Math.min(args.first ?? maxPageSize, maxPageSize);
  let actorId: number | null = null;
  if (args.actor != null) {
    actorId = fromGlobalId(args.actor, 'UserNode');
    if (actorId === null) return emptyPage();
  }
  const { records, hasMore } = await services.audit.list(em, {
    limit,
    afterId: args.after ? decodeCursor(args.after) : null,
    action: args.action,
    actorId,
  });
  const actorIds = [
    ...new Set(records.flatMap((record) => (record.actorId === null ? [] : [record.actorId]))),
  ];
  const actors = actorIds.length ? await em.find(User, { id: { $in: actorIds } }) : [];
  const byId = new Map(actors.map((actor) => [actor.id, actor]));
  const edges = records.map((record) => ({
    cursor: encodeCursor(record.id),
    node: {
      ...record,
      actorPk: record.actorId,
      actor: record.actorId === null ? null : (byId.get(record.actorId) ?? null),
    },
  }));
  return {
    edges,
    pageInfo: {
      hasNextPage: hasMore,
      hasPreviousPage: args.after != null,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges.at(-1)?.cursor ?? null,
    },
  };
};

function emptyPage() {
  return {
    edges: [],
    pageInfo: { hasNextPage: false, hasPreviousPage: false, startCursor: null, endCursor: null },
  };
}
