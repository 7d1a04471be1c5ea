import type { EntityManager } from '@mikro-orm/postgresql';
import type { AuditAction, AuditEntry, AuditLog } from '../audit/audit.service.js';
import type { ClientMeta } from '../base/client-meta.js';
import type { Clock } from '../base/clock.js';
import { expectedError } from '../base/errors/expected-errors.js';
import { requestError } from '../base/errors/request-errors.js';
import { type Failure, failure } from '../base/errors/results.js';
import { fromGlobalId } from '../base/global-id.js';
import type { PermissionService } from '../permissions/permission.service.js';
import type { RefreshTokenRecord, TokenStore } from '../tokens/token-store.js';
import { User } from '../users/user.entity.js';

/** Who acts, from where: every admin operation is audited with it. */
export interface AdminActor {
  user: User;
  meta: ClientMeta;
}

export type UserChangeResult = Failure | { success: true; errors: null; user: User };

/** The flag changes staff may make; `setStaff` is superuser-only through its directive. */
export type UserChange =
  | { action: 'admin.archive_user'; field: 'archived'; value: true }
  | { action: 'admin.unarchive_user'; field: 'archived'; value: false }
  | { action: 'admin.activate_user'; field: 'isActive'; value: true }
  | { action: 'admin.deactivate_user'; field: 'isActive'; value: false }
  | { action: 'admin.verify_user'; field: 'verified'; value: true }
  | { action: 'admin.set_staff'; field: 'isStaff'; value: boolean };

const unknownUser = (): Failure => failure('user', 'invalid', 'Unknown user.');

/**
 * Only a superuser may act on a superuser account: otherwise a staff member could lock out (or
 * revoke the sessions of) the people above them. An authorization failure, so a GraphQL error.
 */
function assertMayActOn(actor: User, target: User): void {
  if (target.isSuperuser && !actor.isSuperuser) {
    throw requestError('FORBIDDEN', 'Only superusers may change a superuser account.');
  }
}

/**
 * The admin surface: flag changes, refresh-token sessions, permissions and groups. Every change is
 * written to the audit log in the same transaction as the change itself (token revocations, which
 * live in the token store, are audited right after).
 */
export interface AdminDeps {
  audit: AuditLog;
  permissions: PermissionService;
  /** Sessions of the users staff act on: listed, and revoked with archive/deactivate. */
  tokenStore: TokenStore;
  clock: Clock;
}

export function createAdminService(deps: AdminDeps) {
  const audit = (em: EntityManager, actor: AdminActor, action: AuditAction, rest: Partial<AuditEntry>) =>
    deps.audit.record(em, {
      action,
      actorId: actor.user.id,
      ip: actor.meta.ip,
      userAgent: actor.meta.userAgent,
      ...rest,
    });

  async function findTarget(em: EntityManager, globalId: string): Promise<User | null> {
    const pk = fromGlobalId(globalId, 'UserNode');
    return pk === null ? null : em.findOne(User, { id: pk });
  }

  return {
    findTarget,

    /** Sets one flag of a user; idempotent (setting the current value succeeds, and is audited). */
    async changeUser(
      em: EntityManager,
      actor: AdminActor,
      userId: string,
      change: UserChange,
    ): Promise<UserChangeResult> {
      const result = await em.transactional(async (tem) => {
        const target = await findTarget(tem, userId);
        if (!target) return unknownUser();
        assertMayActOn(actor.user, target);
        if (change.action === 'admin.deactivate_user' && target.id === actor.user.id) {
          return failure('user', 'invalid', 'You cannot deactivate your own account.');
        }
        const before = target[change.field];
        target[change.field] = change.value;
        await tem.flush();
        await audit(tem, actor, change.action, {
          targetType: 'user',
          targetId: target.id,
          metadata: { field: change.field, before, after: change.value },
        });
        return { success: true as const, errors: null, user: target };
      });
      // A deactivated account must not keep working sessions: outside the transaction, because the
      // embedded SQL token store shares the single pooled connection.
      if (result.success && change.action === 'admin.deactivate_user') {
        await deps.tokenStore.revokeAllForUser(result.user.id, deps.clock.now());
      }
      return result;
    },

    /** Not-yet-expired refresh tokens of a user, newest first; null for an unknown user. */
    async sessions(em: EntityManager, userId: string): Promise<RefreshTokenRecord[] | null> {
      const target = await findTarget(em, userId);
      if (!target) return null;
      return deps.tokenStore.listForUser(target.id, deps.clock.now());
    },

    /** Revokes the selected tokens of one user, all or nothing as far as validation goes. */
    async revokeTokens(
      em: EntityManager,
      actor: AdminActor,
      userId: string,
      tokenIds: readonly string[],
    ): Promise<Failure | { success: true; errors: null; revokedCount: number }> {
      const target = await findTarget(em, userId);
      if (!target) return unknownUser();
      assertMayActOn(actor.user, target);
      const ids = [...new Set(tokenIds)];
      if (ids.length === 0) return failure('tokens', 'required', 'Select at least one token.');
      const now = deps.clock.now();
      const own = new Set((await deps.tokenStore.listForUser(target.id, now)).map((token) => token.digest));
      const foreign = ids.filter((id) => !own.has(id));
      if (foreign.length > 0) {
        return {
          success: false,
          errors: {
            tokens: [
              expectedError('invalid', `Not tokens of this user (or expired): ${foreign.join(', ')}.`),
            ],
          },
        };
      }
      const revokedCount = await deps.tokenStore.revokeMany(ids, now);
      await audit(em, actor, 'admin.revoke_tokens', {
        targetType: 'user',
        targetId: target.id,
        metadata: { tokens: ids, revokedCount },
      });
      return { success: true, errors: null, revokedCount };
    },

    /** Grants (or removes) a permission directly on a user. */
    async setPermission(
      em: EntityManager,
      actor: AdminActor,
      userId: string,
      codename: string,
      granted: boolean,
    ): Promise<UserChangeResult> {
      return em.transactional(async (tem) => {
        const target = await findTarget(tem, userId);
        if (!target) return unknownUser();
        const known = granted
          ? await deps.permissions.grant(tem, target.id, codename)
          : await deps.permissions.remove(tem, target.id, codename);
        if (!known) return failure('permission', 'invalid', `Unknown permission \`${codename}\`.`);
        await audit(tem, actor, granted ? 'admin.grant_permission' : 'admin.remove_permission', {
          targetType: 'user',
          targetId: target.id,
          metadata: { permission: codename },
        });
        return { success: true as const, errors: null, user: target };
      });
    },

    /** Adds a user to (or removes one from) a group. */
    async setMembership(
      em: EntityManager,
      actor: AdminActor,
      userId: string,
      group: string,
      member: boolean,
    ): Promise<UserChangeResult> {
      return em.transactional(async (tem) => {
        const target = await findTarget(tem, userId);
        if (!target) return unknownUser();
        if (!(await deps.permissions.setMembership(tem, target.id, group, member))) {
          return failure('group', 'invalid', `Unknown group \`${group}\`.`);
        }
        await audit(tem, actor, member ? 'admin.add_user_to_group' : 'admin.remove_user_from_group', {
          targetType: 'user',
          targetId: target.id,
          metadata: { group },
        });
        return { success: true as const, errors: null, user: target };
      });
    },

    async createGroup(
      em: EntityManager,
      actor: AdminActor,
      rawName: string,
      permissions: readonly string[],
    ): Promise<
      Failure | { success: true; errors: null; group: { pk: number; name: string; permissions: string[] } }
    > {
      const name = rawName.trim();
      if (name === '') return failure('name', 'required');
      if ([...name].length > 150) return failure('name', 'max_length');
      return em.transactional(async (tem) => {
        const created = await deps.permissions.createGroup(tem, name, permissions);
        if (!created.ok) {
          return 'unknown' in created
            ? failure('permissions', 'invalid', `Unknown permissions: ${created.unknown.join(', ')}.`)
            : failure('name', 'unique', 'A group with that name already exists.');
        }
        await audit(tem, actor, 'admin.create_group', {
          targetType: 'group',
          targetId: name,
          metadata: { permissions: [...new Set(permissions)].sort() },
        });
        return {
          success: true as const,
          errors: null,
          group: { pk: created.id, name, permissions: [...new Set(permissions)].sort() },
        };
      });
    },
  };
}

export type AdminService = ReturnType<typeof createAdminService>;
