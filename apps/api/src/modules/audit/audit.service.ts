import type { EntityManager } from '@mikro-orm/postgresql';
import { createMikroOrmSqlClient } from '../../db/sql-client.js';
import type { Logger } from '../../logger.js';
import type { ClientMeta } from '../base/client-meta.js';
import type { Clock } from '../base/clock.js';

/** What happened, by whom, to what, from where. `when` is the service's clock. */
export interface AuditEntry {
  action: AuditAction;
  /** The signed-in user who acted; null for anonymous attempts (failed sign-ins) and the CLI. */
  actorId: number | null;
  targetType?: 'user' | 'group' | 'refresh_token' | null;
  targetId?: string | number | null;
  /** Never secrets: no passwords, no raw tokens. */
  metadata?: Record<string, unknown>;
  ip?: string | null;
  userAgent?: string | null;
}

/** Every action the log knows; a closed list so readers can filter on it reliably. */
export type AuditAction =
  | 'auth.sign_in'
  | 'auth.sign_in_failed'
  | 'admin.revoke_tokens'
  | 'admin.archive_user'
  | 'admin.unarchive_user'
  | 'admin.activate_user'
  | 'admin.deactivate_user'
  | 'admin.verify_user'
  | 'admin.set_staff'
  | 'admin.grant_permission'
  | 'admin.remove_permission'
  | 'admin.create_group'
  | 'admin.add_user_to_group'
  | 'admin.remove_user_from_group'
  | 'cli.create_superuser'
  | 'cli.import_django'
  | 'auth.password_rehashed'
  // Account events, written after the operation commits (subscribers of the event bus).
  | 'account.register'
  | 'account.verify'
  | 'account.password_reset'
  | 'account.password_set'
  | 'account.password_change'
  | 'account.archive'
  | 'account.delete'
  | 'account.email_add_requested'
  | 'account.email_add'
  | 'account.email_swap'
  | 'account.email_remove'
  | 'session.revoke'
  | 'session.revoke_others'
  | 'session.revoke_all'
  | 'session.logout'
  | 'token.reuse_detected'
  /** Reserved for the rate limiter (issue 13): nothing writes it yet. */
  | 'auth.rate_limited';

/** Whom an entry is about: only the id is recorded, so audit depends on no user module. */
interface AuditedUser {
  id: number;
}

/** One sign-in attempt, as `auth.service.ts` reports it. `login` is the username or email typed. */
export type SignInAttempt =
  | { ok: true; login: string; user: AuditedUser; unarchiving: boolean }
  | {
      ok: false;
      login: string;
      user: AuditedUser | null;
      reason: 'unknown_login' | 'wrong_password' | 'inactive' | 'not_verified' | 'rate_limited';
    };

export interface AuditRecord {
  id: string;
  occurredAt: Date;
  actorId: number | null;
  action: string;
  targetType: string | null;
  targetId: string | null;
  metadata: Record<string, unknown>;
  ip: string | null;
  userAgent: string | null;
}

interface AuditRow {
  id: string | number;
  occurred_at: Date | string;
  actor_id: number | null;
  action: string;
  target_type: string | null;
  target_id: string | null;
  metadata: Record<string, unknown> | string;
  ip: string | null;
  user_agent: string | null;
}

function toRecord(row: AuditRow): AuditRecord {
  return {
    id: String(row.id),
    occurredAt: new Date(row.occurred_at),
    actorId: row.actor_id,
    action: row.action,
    targetType: row.target_type,
    targetId: row.target_id,
    metadata: typeof row.metadata === 'string' ? JSON.parse(row.metadata) : row.metadata,
    ip: row.ip,
    userAgent: row.user_agent,
  };
}

/**
 * Append-only audit log over the `audit_log` table (the database refuses UPDATE and DELETE). Writes
 * go through the caller's EntityManager so they join its transaction when there is one.
 */
export function createAuditLog(deps: { clock: Clock; logger: Logger }) {
  async function record(em: EntityManager, entry: AuditEntry): Promise<void> {
    await createMikroOrmSqlClient(em).query(
      `insert into "audit_log" ("occurred_at", "actor_id", "action", "target_type", "target_id", "metadata", "ip", "user_agent")
         values (?, ?, ?, ?, ?, cast(? as jsonb), ?, ?)`,
      [
        deps.clock.now(),
        entry.actorId,
        entry.action,
        entry.targetType ?? null,
        entry.targetId == null ? null : String(entry.targetId),
        JSON.stringify(entry.metadata ?? {}),
        entry.ip ?? null,
        entry.userAgent ?? null,
      ],
    );
    deps.logger.info({ audit: { ...entry, metadata: undefined } }, 'audit');
  }

  return {
    record,

    /**
     * The sign-in hook of `auth.service.ts`. Written for unknown logins too (same work either way,
     * so the audit write does not make the two cases distinguishable by timing). Never the password.
     */
    async recordSignIn(em: EntityManager, meta: ClientMeta, attempt: SignInAttempt): Promise<void> {
      await record(em, {
        action: attempt.ok ? 'auth.sign_in' : 'auth.sign_in_failed',
        actorId: attempt.ok ? attempt.user.id : null,
        targetType: attempt.user ? 'user' : null,
        targetId: attempt.user?.id ?? null,
        metadata: attempt.ok
          ? { login: attempt.login, unarchiving: attempt.unarchiving }
          : { login: attempt.login, reason: attempt.reason },
        ip: meta.ip,
        userAgent: meta.userAgent,
      });
    },

    /**
     * Newest first, keyset-paginated on the id: `afterId` is the last id of the previous page.
     * Filters: action, actor, the user the entry is about (`userId`: its target), a time range
     * (`since` inclusive, `until` exclusive).
     */
    async list(
      em: EntityManager,
      page: {
        limit: number;
        afterId: string | null;
        action?: string | null;
        actorId?: number | null;
        userId?: number | null;
        since?: Date | null;
        until?: Date | null;
      },
    ): Promise<{ records: AuditRecord[]; hasMore: boolean }> {
      const where: string[] = [];
      const params: unknown[] = [];
      if (page.userId != null) {
        where.push(`"target_type" = 'user' and "target_id" = ?`);
        params.push(String(page.userId));
      }
      if (page.since) {
        where.push(`"occurred_at" >= ?`);
        params.push(page.since);
      }
      if (page.until) {
        where.push(`"occurred_at" < ?`);
        params.push(page.until);
      }
      if (page.afterId !== null) {
        where.push(`"id" < cast(? as bigint)`);
        params.push(page.afterId);
      }
      if (page.action) {
        where.push(`"action" = ?`);
        params.push(page.action);
      }
      if (page.actorId != null) {
        where.push(`"actor_id" = ?`);
        params.push(page.actorId);
      }
      params.push(page.limit + 1);
      const rows = await createMikroOrmSqlClient(em).query<AuditRow>(
        `select * from "audit_log" ${where.length ? `where ${where.join(' and ')}` : ''}
         order by "id" desc limit ?`,
        params,
      );
      return { records: rows.slice(0, page.limit).map(toRecord), hasMore: rows.length > page.limit };
    },

    /**
     * Deletes entries older than `before` through `audit_log_prune`, the one path the append-only
     * trigger lets through (it refuses every other DELETE). Returns how many went.
     */
    async prune(em: EntityManager, before: Date): Promise<number> {
      const rows = await createMikroOrmSqlClient(em).query<{ deleted: string | number }>(
        `select "audit_log_prune"(?) as "deleted"`,
        [before],
      );
      return Number(rows[0]?.deleted ?? 0);
    },
  };
}

export type AuditLog = ReturnType<typeof createAuditLog>;
