import type { QueryResolvers } from '../../../../__generated__/resolvers-types.generated.js';
import {
  auditPage,
  auditPageSize,
  decodeAuditCursor,
  encodeAuditCursor,
} from '../../../audit/audit-cursor.js';
import { coarseIp, summariseUserAgent } from '../../../sessions/client-summary.js';

/**
 * @login. The audit entries about the viewer's account, newest first. What the user sees is the
 * action, its time and a coarse device and network: never the metadata (a failed sign-in keeps
 * the login typed), the raw IP, or who among the staff acted.
 */
export const mySecurityEvents: QueryResolvers['mySecurityEvents'] = async (
  _parent,
  args,
  { em, services, maxPageSize, requireViewer },
) => {
  const user = await requireViewer();
  const { records, hasMore } = await services.audit.list(em, {
    limit: auditPageSize(args.first, maxPageSize),
    afterId: args.after ? decodeAuditCursor(args.after) : null,
    userId: user.id,
  });
  const edges = records.map((record) => ({
    cursor: encodeAuditCursor(record.id),
    node: {
      id: record.id,
      occurredAt: record.occurredAt,
      action: record.action,
      device: summariseUserAgent(record.userAgent),
      network: coarseIp(record.ip),
    },
  }));
  return auditPage(edges, hasMore, args.after);
};
