import type { EntityManager } from '@mikro-orm/postgresql';
import type { Logger } from '../../logger.js';
import type { PasswordHasher } from '../auth/password-hasher.js';
import { validatePassword } from '../auth/password-validation.js';
import type { IssueTokenPair } from '../auth/token-pair.js';
import type { Clock } from '../base/clock.js';
import { ErrorCollector, NON_FIELD_ERRORS } from '../base/errors/expected-errors.js';
import type { Failure } from '../base/errors/results.js';
import { failure } from '../base/errors/results.js';
import type { AppEventBus } from '../events/app-events.js';
import type { AccountMailTemplateName } from '../mail/mail-templates.js';
import { MailError } from '../mail/mailer.js';
import type { TokenStore } from '../tokens/token-store.js';
import type { User } from '../users/user.entity.js';
import type { AccountEmails } from './account-emails.js';
import type { LatencyMimic } from './latency-mimic.js';

export interface AccountSettings {
  /** deleteAccount removes the row (and, by cascade, its tokens) instead of deactivating it. */
  hardDelete: boolean;
}

/** What the account operations share; built once in `createServices`. */
export interface AccountDeps {
  clock: Clock;
  logger: Logger;
  hasher: PasswordHasher;
  emails: AccountEmails;
  events: AppEventBus;
  /** Refresh tokens: revoked on password reset/set/change, archive and delete. */
  tokenStore: TokenStore;
  /** Starts a new session (the caller's, after passwordChange). */
  issueTokenPair: IssueTokenPair;
  /** Equalises the time of "unknown address" answers with real sends. */
  mimic: LatencyMimic;
  settings: AccountSettings;
}

/**
 * Runs `work` (which sends mail, see `AccountEmails.send`) outside any transaction, so no pooled
 * connection waits on SMTP; a `MailError` answers `email_fail` (the send already cleaned up after
 * itself). Anything else propagates (a masked 500, or a 503 for an outage).
 */
export async function withMail<T>(
  em: EntityManager,
  work: (em: EntityManager) => Promise<T>,
): Promise<T | Failure> {
  try {
    return await work(em);
  } catch (error) {
    if (error instanceof MailError) return failure(NON_FIELD_ERRORS, 'email_fail');
    throw error;
  }
}

/**
 * Ends every session of a user after a change that already committed (password, archive,
 * delete). The change is the effect the answer reports, so a token store outage here must not
 * turn it into an error: it is logged, and the database backs the revocation up (a refresh checks
 * the account is active and unarchived and that the session began after the last password change;
 * access tokens of those sessions then die within their few minutes).
 */
export async function revokeSessionsAfterCommit(
  deps: Pick<AccountDeps, 'tokenStore' | 'logger'>,
  userId: number,
  now: Date,
): Promise<void> {
  try {
    await deps.tokenStore.revokeAllForUser(userId, now);
  } catch (error) {
    deps.logger.warn({ err: error, userId }, 'sessions not revoked after a committed change');
  }
}

/**
 * The answer for an address that gets no mail (unknown, inactive, already verified): the same as a
 * real send's, in the same time. It costs the CPU work of a send, and while mail cannot go out it
 * answers `email_fail`, as a real send would.
 */
export async function answerWithoutSending(
  deps: Pick<AccountDeps, 'emails' | 'mimic'>,
  template: AccountMailTemplateName,
  address: string,
  started: number,
): Promise<{ success: true } | Failure> {
  deps.emails.rehearse(template, address);
  if (!(await deps.emails.deliverable())) return failure(NON_FIELD_ERRORS, 'email_fail');
  await deps.mimic.imitate(started);
  return { success: true };
}

/** Checks a new password pair (`newPassword1`/`newPassword2`) the way Django's SetPasswordForm does. */
export function newPasswordErrors(password1: string, password2: string, user: User): ErrorCollector {
  const errors = new ErrorCollector();
  if (password1 === '') errors.add('newPassword1', 'required');
  if (password2 === '') errors.add('newPassword2', 'required');
  else if (password1 !== password2) errors.add('newPassword2', 'password_mismatch');
  else errors.addAll('newPassword2', validatePassword(password2, user));
  return errors;
}
