import type { QueryResolvers } from '../../../../__generated__/resolvers-types.generated.js';
import { REQUEST_ERRORS } from '../../../base/errors/request-errors.js';

/**
 * Staff only (`@staff`). Maps store records to the admin view: the digest is the id, the raw token
 * is never known to the server after issuing it.
 */
export const userSessions: QueryResolvers['userSessions'] = async (
  _parent,
  args,
  { em, services, clock },
) => {
  const records = await services.admin.sessions(em, args.user);
  if (!records) {
    throw REQUEST_ERRORS.unknownUser();
  }
  const now = clock.now().getTime();
  return records.map((record) => {
    const expired = record.expiresAt.getTime() <= now;
    return {
      id: record.digest,
      family: record.familyId,
      sessionStartedAt: record.familyCreatedAt,
      createdAt: record.createdAt,
      lastUsedAt: record.lastUsedAt,
      expiresAt: record.expiresAt,
      expired,
      revokedAt: record.revokedAt,
      rotatedAt: record.rotatedAt,
      active: !expired && record.revokedAt === null && record.rotatedAt === null,
      userAgent: record.userAgent,
      ip: record.ip,
    };
  });
};
