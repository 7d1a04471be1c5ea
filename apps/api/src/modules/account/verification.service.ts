import type { EntityManager } from '@mikro-orm/postgresql';
import { NON_FIELD_ERRORS } from '../base/errors/expected-errors.js';
import { type Failure, failure, isFailure } from '../base/errors/results.js';
import { findUserByAnyEmail } from '../users/find-user-by-email.js';
import { snapshotOf } from '../users/user-snapshot.js';
import { emailProblem } from '../users/user-validation.js';
import { type AccountDeps, answerWithoutSending, withMail } from './account-deps.js';

type Result = Failure | { success: true };

/** verifyAccount and resendActivationEmail. */
export function createVerificationService(deps: AccountDeps) {
  return {
    async verifyAccount(em: EntityManager, token: string): Promise<Result> {
      const opened = await deps.emails.open(em, token, 'activation');
      if (opened.status === 'invalid') return failure(NON_FIELD_ERRORS, 'invalid_token');
      const { user, record } = opened;
      // A replayed (or superseded) activation link of a verified account says so.
      if (user.verified) return failure(NON_FIELD_ERRORS, 'already_verified');
      if (opened.status === 'used') return failure(NON_FIELD_ERRORS, 'invalid_token');
      if (opened.status === 'expired') return failure(NON_FIELD_ERRORS, 'expired_token');
      const now = deps.clock.now();
      const won = await em.transactional(async (tx) => {
        if (!(await deps.emails.tokens(tx as EntityManager).use(record.digest, now))) return false;
        user.verified = true;
        await tx.flush();
        return true;
      });
      // Lost a race with a concurrent use of the same link, which verified the account.
      if (!won) return failure(NON_FIELD_ERRORS, 'already_verified');
      await deps.events.emit('userVerified', { user: snapshotOf(user), at: now });
      return { success: true };
    },

    /**
     * Sends a new activation link (the old ones stop working). Unknown, inactive and already
     * verified addresses answer success too, in the same time: the answer reveals nothing.
     */
    async resendActivationEmail(em: EntityManager, email: string): Promise<Result> {
      const address = email.trim();
      const problem = emailProblem(address);
      if (problem) return failure('email', problem);
      const started = performance.now();
      const found = await findUserByAnyEmail(em, address);
      const user = found?.matched === 'primary' ? found.user : null;
      if (!user?.isActive || user.verified) {
        return answerWithoutSending(deps, 'activation-resend', address, started);
      }
      const sent = await withMail(em, (tx) => deps.emails.send(tx, user, 'activation-resend'));
      if (isFailure(sent)) return sent;
      deps.mimic.record(performance.now() - started);
      return { success: true };
    },
  };
}
