import { type EntityManager, UniqueConstraintViolationException } from '@mikro-orm/postgresql';
import { NON_FIELD_ERRORS } from '../base/errors/expected-errors.js';
import { type Failure, failure, isFailure } from '../base/errors/results.js';
import type { User } from '../users/user.entity.js';
import { createUserRepository } from '../users/user.repository.js';
import { snapshotOf } from '../users/user-snapshot.js';
import { emailProblem } from '../users/user-validation.js';
import { type AccountDeps, withMail } from './account-deps.js';
import { guardAccount } from './account-guards.js';

type Result = Failure | { success: true };

const EMAIL_IN_USE = 'A user with that email already exists.';

/** sendSecondaryEmailActivation, verifySecondaryEmail, swapEmails and removeSecondaryEmail. */
export function createSecondaryEmailService(deps: AccountDeps) {
  const confirm = (viewer: User, password: string, secondaryEmail = false) =>
    guardAccount(viewer, deps.hasher, { secondaryEmail, password: { field: 'password', value: password } });

  /** Emitted after the change is committed (audit, security notices). */
  const emailChanged = (
    user: User,
    change: 'secondary_requested' | 'secondary_verified' | 'swapped' | 'secondary_removed',
    previousEmail: string | null = null,
  ) =>
    deps.events.emit('emailChanged', { user: snapshotOf(user), at: deps.clock.now(), change, previousEmail });

  return {
    /** Needs login, verified, password. Mails a link to the new address; nothing changes until used. */
    async sendSecondaryEmailActivation(
      em: EntityManager,
      viewer: User,
      input: { email: string; password: string },
    ): Promise<Result> {
      const guard = await confirm(viewer, input.password);
      if (!guard.success) return guard;
      const { user } = guard;
      const address = input.email.trim();
      const problem = emailProblem(address);
      if (problem) return failure('email', problem);
      // Taken by anyone, as primary or secondary, this user included.
      if (await createUserRepository(em).emailTaken(address)) return failure('email', 'unique', EMAIL_IN_USE);
      const sent = await withMail(em, (tx) =>
        deps.emails.send(tx, user, 'secondary-email-activation', address),
      );
      if (isFailure(sent)) return sent;
      await emailChanged(user, 'secondary_requested');
      return { success: true };
    },

    /** No login needed: the link proves the address. The address must still be free. */
    async verifySecondaryEmail(em: EntityManager, token: string): Promise<Result> {
      const opened = await deps.emails.open(em, token, 'secondary_email');
      if (opened.status === 'invalid') return failure(NON_FIELD_ERRORS, 'invalid_token');
      if (opened.status === 'used') return failure(NON_FIELD_ERRORS, 'invalid_token');
      if (opened.status === 'expired') return failure(NON_FIELD_ERRORS, 'expired_token');
      const { user, record } = opened;
      const address = record.email!;
      if (await createUserRepository(em).emailTaken(address)) {
        return failure(NON_FIELD_ERRORS, 'unique', EMAIL_IN_USE);
      }
      const now = deps.clock.now();
      try {
        const won = await em.transactional(async (tx) => {
          if (!(await deps.emails.tokens(tx as EntityManager).use(record.digest, now))) return false;
          user.secondaryEmail = address;
          await tx.flush();
          return true;
        });
        if (!won) return failure(NON_FIELD_ERRORS, 'invalid_token');
        await emailChanged(user, 'secondary_verified');
        return { success: true };
      } catch (error) {
        // Someone claimed the address between the check and the write; the unique index decided.
        if (error instanceof UniqueConstraintViolationException) {
          user.secondaryEmail = null;
          return failure(NON_FIELD_ERRORS, 'unique', EMAIL_IN_USE);
        }
        throw error;
      }
    },

    /** Needs login, verified, a secondary email, password. */
    async swapEmails(em: EntityManager, viewer: User, password: string): Promise<Result> {
      const guard = await confirm(viewer, password, true);
      if (!guard.success) return guard;
      const { user } = guard;
      const previousEmail = user.email;
      [user.email, user.secondaryEmail] = [user.secondaryEmail!, user.email];
      // One UPDATE of one row: the per-column unique indexes never see a duplicate.
      await em.flush();
      await emailChanged(user, 'swapped', previousEmail);
      return { success: true };
    },

    /** Needs login, verified, a secondary email, password. */
    async removeSecondaryEmail(em: EntityManager, viewer: User, password: string): Promise<Result> {
      const guard = await confirm(viewer, password, true);
      if (!guard.success) return guard;
      guard.user.secondaryEmail = null;
      await em.flush();
      await emailChanged(guard.user, 'secondary_removed');
      return { success: true };
    },
  };
}
