import type { EntityManager } from '@mikro-orm/postgresql';
import { createMikroOrmSqlClient } from '../../db/sql-client.js';
import type { AuditLog } from '../audit/audit.service.js';

/** Where a rehash lands. */
export interface PasswordUpgradeStore {
  /** Replaces `oldHash` by `newHash` only if it is still stored; true when it was. */
  replace(
    userId: number,
    oldHash: string,
    newHash: string,
    schemes: { from: string; to: string },
  ): Promise<boolean>;
}

/**
 * Compare-and-set on `password_hash`, with the `auth.password_rehashed` audit entry in the same
 * transaction. A reset or change that committed in between matches zero rows: the new password
 * wins. Not a password change: `password_changed_at`, tokens and events are left alone. It runs on
 * a fork of its own, outside any request transaction, so a failure cannot undo the sign-in.
 */
export function createSqlPasswordUpgrades(deps: {
  em: () => EntityManager;
  audit: AuditLog;
}): PasswordUpgradeStore {
  return {
    async replace(userId, oldHash, newHash, schemes) {
      return deps.em().transactional(async (tx) => {
        const rows = await createMikroOrmSqlClient(tx as EntityManager).query(
          `update "user" set "password_hash" = ? where "id" = ? and "password_hash" = ? returning "id"`,
          [newHash, userId, oldHash],
        );
        if (rows.length === 0) return false;
        await deps.audit.record(tx as EntityManager, {
          action: 'auth.password_rehashed',
          actorId: userId,
          targetType: 'user',
          targetId: userId,
          metadata: { from: schemes.from, to: schemes.to },
        });
        return true;
      });
    },
  };
}
