import type { EntityManager } from '@mikro-orm/postgresql';
import { ErrorCollector } from '../base/errors/expected-errors.js';
import { type Failure, failed } from '../base/errors/results.js';
import type { User } from '../users/user.entity.js';
import { snapshotOf } from '../users/user-snapshot.js';
import { nameProblem } from '../users/user-validation.js';
import { type AccountDeps, revokeSessionsAfterCommit } from './account-deps.js';
import { guardAccount } from './account-guards.js';

/** The profile fields `updateAccount` may change (the SDL lists the same ones). */
export interface ProfileInput {
  firstName?: string | null;
  lastName?: string | null;
}
const PROFILE_FIELDS = ['firstName', 'lastName'] as const;

/** updateAccount, archiveAccount and deleteAccount. */
export function createProfileService(deps: AccountDeps) {
  return {
    /** Needs login and verified. Omitted (or null) fields keep their values. */
    async updateAccount(
      em: EntityManager,
      viewer: User,
      input: ProfileInput,
    ): Promise<Failure | { success: true; user: User }> {
      const guard = await guardAccount(viewer, deps.hasher);
      if (!guard.success) return guard;
      const { user } = guard;
      const errors = new ErrorCollector();
      for (const field of PROFILE_FIELDS) {
        const code = nameProblem(input[field]);
        if (code) errors.add(field, code);
      }
      if (errors.has()) return failed(errors);
      for (const field of PROFILE_FIELDS) {
        const value = input[field];
        if (value != null) user[field] = value.trim();
      }
      await em.flush();
      return { success: true, user };
    },

    /** Needs login, verified, password. A later successful sign-in un-archives the account. */
    async archiveAccount(em: EntityManager, viewer: User, password: string) {
      const guard = await guardAccount(viewer, deps.hasher, {
        password: { field: 'password', value: password },
      });
      if (!guard.success) return guard;
      const { user } = guard;
      const now = deps.clock.now();
      user.archived = true;
      await em.flush();
      await revokeSessionsAfterCommit(deps, user.id, now);
      await deps.events.emit('accountArchived', { user: snapshotOf(user), at: now });
      return { success: true as const };
    },

    /**
     * Needs login, verified, password. Soft by default: the account is deactivated (it cannot sign
     * in, its tokens stop working) but kept; with hard delete the row goes, tokens by cascade.
     */
    async deleteAccount(em: EntityManager, viewer: User, password: string) {
      const guard = await guardAccount(viewer, deps.hasher, {
        password: { field: 'password', value: password },
      });
      if (!guard.success) return guard;
      const { user } = guard;
      const now = deps.clock.now();
      const snapshot = snapshotOf(user);
      await em.transactional(async (tx) => {
        if (deps.settings.hardDelete) {
          tx.remove(user);
        } else {
          user.isActive = false;
          await deps.emails
            .tokens(tx as EntityManager)
            .revokeForUser(user.id, ['activation', 'password_reset', 'password_set', 'secondary_email'], now);
        }
        await tx.flush();
      });
      await revokeSessionsAfterCommit(deps, user.id, now);
      await deps.events.emit('accountDeleted', { user: snapshot, at: now, hard: deps.settings.hardDelete });
      return { success: true as const };
    },
  };
}
