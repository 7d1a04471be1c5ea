import type { EntityManager } from '@mikro-orm/postgresql';
import type { TokenPair } from '../auth/token-pair.js';
import type { ClientMeta } from '../base/client-meta.js';
import { NON_FIELD_ERRORS } from '../base/errors/expected-errors.js';
import { type Failure, failed, failure, isFailure } from '../base/errors/results.js';
import { findUserByAnyEmail } from '../users/find-user-by-email.js';
import type { User } from '../users/user.entity.js';
import { snapshotOf } from '../users/user-snapshot.js';
import { emailProblem } from '../users/user-validation.js';
import {
  type AccountDeps,
  answerWithoutSending,
  newPasswordErrors,
  revokeSessionsAfterCommit,
  withMail,
} from './account-deps.js';
import { guardAccount } from './account-guards.js';
import { PASSWORD_BOUND_PURPOSES } from './email-token.js';

type Result = Failure | { success: true };
type NoTokens = { token: null; refreshToken: null };
const NO_TOKENS: NoTokens = { token: null, refreshToken: null };

export interface NewPasswords {
  newPassword1: string;
  newPassword2: string;
}

/** sendPasswordResetEmail, passwordReset, passwordSet and passwordChange. */
export function createPasswordService(deps: AccountDeps) {
  /**
   * Replaces the password inside `tx`: every password-bound email token dies with the old one.
   * The refresh tokens are revoked by `afterPasswordChange`, once this transaction committed
   * (in embedded mode the SQL token store needs the single pooled connection back).
   */
  async function replacePassword(tx: EntityManager, user: User, password: string, now: Date) {
    user.passwordHash = await deps.hasher.hash(password);
    user.passwordChangedAt = now;
    await deps.emails.tokens(tx).revokeForUser(user.id, PASSWORD_BOUND_PURPOSES, now);
  }

  async function afterPasswordChange(
    user: User,
    now: Date,
    via: 'reset' | 'set' | 'change',
    verified: boolean,
  ) {
    await revokeSessionsAfterCommit(deps, user.id, now);
    if (verified) await deps.events.emit('userVerified', { user: snapshotOf(user), at: now });
    await deps.events.emit('passwordChanged', { user: snapshotOf(user), at: now, via });
  }

  /** passwordReset and passwordSet: the same steps, apart from the token's purpose and replay code. */
  async function withEmailToken(
    em: EntityManager,
    token: string,
    input: NewPasswords,
    purpose: 'password_reset' | 'password_set',
  ): Promise<Result> {
    const opened = await deps.emails.open(em, token, purpose);
    if (opened.status === 'invalid') return failure(NON_FIELD_ERRORS, 'invalid_token');
    const { user, record } = opened;
    if (purpose === 'password_set' && user.passwordHash !== null) {
      return failure(NON_FIELD_ERRORS, 'password_already_set');
    }
    if (opened.status === 'used') return failure(NON_FIELD_ERRORS, 'invalid_token');
    if (opened.status === 'expired') return failure(NON_FIELD_ERRORS, 'expired_token');
    const errors = newPasswordErrors(input.newPassword1, input.newPassword2, user);
    if (errors.has()) return failed(errors);

    const now = deps.clock.now();
    // The emailed link proves the address belongs to the user: an unverified account is verified.
    const verifies = !user.verified;
    const won = await em.transactional(async (tx) => {
      if (!(await deps.emails.tokens(tx as EntityManager).use(record.digest, now))) return false;
      await replacePassword(tx as EntityManager, user, input.newPassword1, now);
      user.verified = true;
      await tx.flush();
      return true;
    });
    if (!won) return failure(NON_FIELD_ERRORS, 'invalid_token');
    await afterPasswordChange(user, now, purpose === 'password_reset' ? 'reset' : 'set', verifies);
    return { success: true };
  }

  return {
    /**
     * Mails a reset link to a primary or secondary address. Unknown and inactive addresses answer
     * success too, in the same time. Unverified accounts get the link as well: using it proves the
     * address, and refusing would tell who is registered.
     */
    async sendPasswordResetEmail(em: EntityManager, email: string): Promise<Result> {
      const address = email.trim();
      const problem = emailProblem(address);
      if (problem) return failure('email', problem);
      const started = performance.now();
      const found = await findUserByAnyEmail(em, address);
      if (!found?.user.isActive) return answerWithoutSending(deps, 'password-reset', address, started);
      const { user, matched } = found;
      const to = matched === 'primary' ? user.email : user.secondaryEmail!;
      const sent = await withMail(em, (tx) => deps.emails.send(tx, user, 'password-reset', to));
      if (isFailure(sent)) return sent;
      deps.mimic.record(performance.now() - started);
      return { success: true };
    },

    passwordReset(em: EntityManager, token: string, input: NewPasswords): Promise<Result> {
      return withEmailToken(em, token, input, 'password_reset');
    },

    passwordSet(em: EntityManager, token: string, input: NewPasswords): Promise<Result> {
      return withEmailToken(em, token, input, 'password_set');
    },

    /** Needs login, verified, old password. Revokes every refresh token, then issues a new pair. */
    async passwordChange(
      em: EntityManager,
      viewer: User,
      input: NewPasswords & { oldPassword: string },
      meta: ClientMeta,
    ): Promise<Failure | ({ success: true } & (TokenPair | NoTokens))> {
      const guard = await guardAccount(viewer, deps.hasher, {
        password: { field: 'oldPassword', value: input.oldPassword },
      });
      if (!guard.success) return guard;
      const { user } = guard;
      const errors = newPasswordErrors(input.newPassword1, input.newPassword2, user);
      if (errors.has()) return failed(errors);
      const now = deps.clock.now();
      await em.transactional(async (tx) => {
        await replacePassword(tx as EntityManager, user, input.newPassword1, now);
        await tx.flush();
      });
      await afterPasswordChange(user, now, 'change', false);
      // The password changed: success even when the new session cannot be opened right now.
      const tokens = await deps.issueTokenPair(user, meta).catch((error: unknown) => {
        deps.logger.warn({ err: error, userId: user.id }, 'password changed without a new session');
        return NO_TOKENS;
      });
      return { success: true, ...tokens };
    },
  };
}
