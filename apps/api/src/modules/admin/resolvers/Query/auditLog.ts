import type { QueryResolvers } from '../../../../__generated__/resolvers-types.generated.js';
import {
  auditPage,
  auditPageSize,
  decodeAuditCursor,
  encodeAuditCursor,
} from '../../../audit/audit-cursor.js';
import { fromGlobalId } from '../../../base/global-id.js';
import { User } from '../../../users/user.entity.js';

/**
 * Superusers only (`@superuser`). Newest first. Actors are loaded in one query for the whole page,
 * so a page costs two queries whatever its size.
 */
export const auditLog: QueryResolvers['auditLog'] = async (_parent, args, { em, services, maxPageSize }) => {
  const limit = auditPageSize(args.first, maxPageSize);
  let actorId: number | null = null;
  if (args.actor != null) {
    actorId = fromGlobalId(args.actor, 'UserNode');
    if (actorId === null) return emptyPage();
  }
  let userId: number | null = null;
  if (args.user != null) {
    userId = fromGlobalId(args.user, 'UserNode');
    if (userId === null) return emptyPage();
  }
  const { records, hasMore } = await services.audit.list(em, {
    limit,
    afterId: args.after ? decodeAuditCursor(args.after) : null,
    action: args.action,
    actorId,
    userId,
    since: args.since ? new Date(args.since) : null,
    until: args.until ? new Date(args.until) : null,
  });
  const actorIds = [
    ...new Set(records.flatMap((record) => (record.actorId === null ? [] : [record.actorId]))),
  ];
  const actors = actorIds.length ? await em.find(User, { id: { $in: actorIds } }) : [];
  const byId = new Map(actors.map((actor) => [actor.id, actor]));
  const edges = records.map((record) => ({
    cursor: encodeAuditCursor(record.id),
    node: {
      ...record,
      actorPk: record.actorId,
      actor: record.actorId === null ? null : (byId.get(record.actorId) ?? null),
    },
  }));
  return auditPage(edges, hasMore, args.after);
};

function emptyPage() {
  return {
    edges: [],
    pageInfo: { hasNextPage: false, hasPreviousPage: false, startCursor: null, endCursor: null },
  };
}
