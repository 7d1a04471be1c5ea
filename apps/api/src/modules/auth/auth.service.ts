import { type EntityManager, UniqueConstraintViolationException } from '@mikro-orm/postgresql';
import type { Logger } from '../../logger.js';
import type { AuditLog } from '../audit/audit.service.js';
import type { ClientMeta } from '../base/client-meta.js';
import type { Clock } from '../base/clock.js';
import { ErrorCollector, NON_FIELD_ERRORS, rateLimited } from '../base/errors/expected-errors.js';
import { type Failure, failed } from '../base/errors/results.js';
import type { AppEventBus } from '../events/app-events.js';
import { MailError } from '../mail/mailer.js';
import type { RateLimits } from '../rate-limit/rate-limits.js';
import { findUserByAnyEmail } from '../users/find-user-by-email.js';
import { User } from '../users/user.entity.js';
import { createUserRepository } from '../users/user.repository.js';
import { snapshotOf } from '../users/user-snapshot.js';
import { emailProblem, nameProblem, usernameProblem } from '../users/user-validation.js';
import type { AccessTokenClaims, AccessTokens } from './access-tokens.js';
import { checkPassword } from './password-check.js';
import type { PasswordHasher } from './password-hasher.js';
import { validatePassword } from './password-validation.js';
import type { IssueTokenPair, NewAccountMail, RevokeIssuedSession, TokenPair } from './token-pair.js';

export interface RegisterInput {
  email: string;
  username: string;
  /** Optional only with passwordless registration (then both are left out). */
  password1?: string | null;
  password2?: string | null;
  firstName?: string | null;
  lastName?: string | null;
}

export interface TokenAuthInput {
  password: string;
  username?: string | null;
  email?: string | null;
}

export type RegisterResult = Failure | { success: true; user: User; tokens: TokenPair | null };
export type TokenAuthResult = Failure | ({ success: true; user: User; unarchiving: boolean } & TokenPair);
export type VerifyTokenResult = Failure | { success: true; payload: AccessTokenClaims };

export interface AuthServiceDeps {
  hasher: PasswordHasher;
  accessTokens: AccessTokens;
  /** Starts a session (the tokens module's refresh tokens). */
  issueTokenPair: IssueTokenPair;
  /** Undoes `issueTokenPair` when the sign-in cannot be recorded after all. */
  revokeIssuedSession?: RevokeIssuedSession;
  clock: Clock;
  logger: Logger;
  settings: {
    allowUnverifiedLogin: boolean;
    /** tokenAuth's `email` also matches secondary addresses. */
    loginBySecondaryEmail: boolean;
    /** register without passwords creates a passwordless account and mails a password-set link. */
    passwordlessRegistration: boolean;
  };
  /** The activation (or password-set) email of a new account, and account events. */
  emails: NewAccountMail;
  events: AppEventBus;
  /** Sign-in successes and failures go to the audit log; optional for unit tests. */
  audit?: AuditLog;
  /** Sign-in attempts per account+client and per client: delay, then `rate_limited`. */
  rateLimits?: Pick<RateLimits, 'signIn' | 'wait'>;
}

/** Which field a unique index protects, to report a race-lost insert on the right argument. */
function fieldOfUniqueViolation(error: UniqueConstraintViolationException): 'email' | 'username' {
  return /username/.test(error.message) ? 'username' : 'email';
}

/** Registration, sign-in and token checks: the first path through the system. */
export function createAuthService(deps: AuthServiceDeps) {
  const { issueTokenPair } = deps;

  /**
   * Mails the activation (or password-set) link of a new account. Not sent: the account is
   * removed again (compensation), so `email_fail` leaves nothing behind. If even that fails the
   * account stays, and the answer is success: it exists, and resendActivationEmail can mail it.
   */
  async function sendFirstMail(
    em: EntityManager,
    user: User,
    passwordless: boolean,
  ): Promise<'sent' | 'not_sent' | 'kept_unmailed'> {
    try {
      await deps.emails.send(em, user, passwordless ? 'password-set' : 'activation');
      return 'sent';
    } catch (error) {
      if (!(error instanceof MailError)) {
        deps.logger.warn({ err: error, userId: user.id }, 'activation mail not sent; account kept');
        return 'kept_unmailed';
      }
    }
    try {
      await em.nativeDelete(User, { id: user.id });
      return 'not_sent';
    } catch (error) {
      deps.logger.error({ err: error, userId: user.id }, 'registration not undone after mail failure');
      return 'kept_unmailed';
    }
  }

  return {
    async register(em: EntityManager, input: RegisterInput, meta: ClientMeta): Promise<RegisterResult> {
      const users = createUserRepository(em);
      const errors = new ErrorCollector();
      const email = input.email.trim();
      const username = input.username.trim();

      const emailCode = emailProblem(email);
      if (emailCode) errors.add('email', emailCode);
      const usernameCode = usernameProblem(username);
      if (usernameCode) errors.add('username', usernameCode);
      for (const field of ['firstName', 'lastName'] as const) {
        const code = nameProblem(input[field]);
        if (code) errors.add(field, code);
      }
      const password1 = input.password1 ?? '';
      const password2 = input.password2 ?? '';
      // Passwordless registration (a setting): no passwords at all; the emailed link sets one.
      const passwordless = deps.settings.passwordlessRegistration && password1 === '' && password2 === '';
      if (!passwordless) {
        if (password1 === '') errors.add('password1', 'required');
        if (password2 === '') errors.add('password2', 'required');
        else if (password1 !== password2) errors.add('password2', 'password_mismatch');
        else {
          // Like Django's UserCreationForm, validator failures are reported on the confirmation field.
          errors.addAll(
            'password2',
            validatePassword(password2, {
              username,
              email,
              firstName: input.firstName ?? null,
              lastName: input.lastName ?? null,
            }),
          );
        }
      }
      if (!errors.has('email') && (await users.emailTaken(email))) {
        errors.add('email', 'unique', 'A user with that email already exists.');
      }
      if (!errors.has('username') && (await users.usernameTaken(username))) {
        errors.add('username', 'unique', 'A user with that username already exists.');
      }
      if (errors.has()) return failed(errors);

      const passwordHash = passwordless ? null : await deps.hasher.hash(password1);
      const user = new User();
      user.email = email;
      user.username = username;
      user.firstName = input.firstName?.trim() ?? '';
      user.lastName = input.lastName?.trim() ?? '';
      user.passwordHash = passwordHash;
      user.dateJoined = deps.clock.now();
      user.language = meta.locale ?? null;
      try {
        await em.persist(user).flush();
      } catch (error) {
        // Two registrations raced past the checks above; the unique index decided.
        if (error instanceof UniqueConstraintViolationException) {
          const field = fieldOfUniqueViolation(error);
          return failed(
            new ErrorCollector().add(field, 'unique', `A user with that ${field} already exists.`),
          );
        }
        throw error;
      }
      // The account is committed; the mail goes out with no connection held (see emails.send).
      const mailed = await sendFirstMail(em, user, passwordless);
      if (mailed === 'not_sent') return failed(new ErrorCollector().add(NON_FIELD_ERRORS, 'email_fail'));
      deps.logger.info({ userId: user.id, mailed }, 'user registered');
      // From here on the account exists: the answer is success whatever else fails (the event bus
      // logs failing handlers); a session that cannot be opened now (token store down) is left to
      // a sign-in.
      await deps.events.emit('userRegistered', { user: snapshotOf(user), at: user.dateJoined, passwordless });
      let tokens: TokenPair | null = null;
      if (deps.settings.allowUnverifiedLogin) {
        tokens = await issueTokenPair(user, meta).catch((error: unknown) => {
          deps.logger.warn({ err: error, userId: user.id }, 'registered without a session');
          return null;
        });
      }
      return { success: true, user, tokens };
    },

    async tokenAuth(em: EntityManager, input: TokenAuthInput, meta: ClientMeta): Promise<TokenAuthResult> {
      const errors = new ErrorCollector();
      const username = input.username?.trim() || null;
      const email = input.email?.trim() || null;
      if (username !== null && email !== null) {
        errors.add(NON_FIELD_ERRORS, 'invalid', 'Give exactly one of username or email.');
      } else if (username === null && email === null) {
        errors.add(NON_FIELD_ERRORS, 'required', 'Give a username or an email.');
      }
      if (input.password === '') errors.add('password', 'required');
      if (errors.has()) return failed(errors);

      const failureFloor = deps.hasher.startFailureFloor();
      const users = createUserRepository(em);
      const user =
        username !== null
          ? await users.findByUsername(username)
          : deps.settings.loginBySecondaryEmail
            ? ((await findUserByAnyEmail(em, email!))?.user ?? null)
            : await users.findByEmail(email!);
      // Counted per account (its id, whatever spelling was typed) and client, known or not alike.
      const attempt = await deps.rateLimits?.signIn(
        user ? `user:${user.id}` : `login:${username ?? email}`,
        meta.ip,
      );
      if (attempt && !attempt.allowed) {
        await deps.audit?.recordSignIn(em, meta, {
          ok: false,
          login: username ?? email!,
          user,
          reason: 'rate_limited',
        });
        return rateLimited(attempt.retryAfterSeconds);
      }
      if (attempt) await deps.rateLimits!.wait(attempt.delayMs);
      // Unknown login, inactive account and wrong password answer alike, no earlier than the floor.
      const passwordOk = await checkPassword(deps.hasher, user, input.password);
      if (!user || !passwordOk || !user.isActive) {
        await failureFloor();
        const reason = !user ? 'unknown_login' : !passwordOk ? 'wrong_password' : 'inactive';
        await deps.audit?.recordSignIn(em, meta, { ok: false, login: username ?? email!, user, reason });
        return failed(new ErrorCollector().add(NON_FIELD_ERRORS, 'invalid_credentials'));
      }
      if (!user.verified && !deps.settings.allowUnverifiedLogin) {
        await deps.audit?.recordSignIn(em, meta, {
          ok: false,
          login: username ?? email!,
          user,
          reason: 'not_verified',
        });
        return failed(new ErrorCollector().add(NON_FIELD_ERRORS, 'not_verified'));
      }
      // Only a successful sign-in un-archives an account.
      const unarchiving = user.archived;
      // The session first: if the token store is down nothing is written and the answer is 503.
      const tokens = await issueTokenPair(user, meta);
      try {
        user.archived = false;
        user.lastLogin = deps.clock.now();
        if (meta.locale) user.language = meta.locale; // the stored preference follows the latest ask
        await em.flush();
        await deps.audit?.recordSignIn(em, meta, { ok: true, login: username ?? email!, user, unarchiving });
      } catch (error) {
        // Not recorded, so not signed in: the session the client never receives must not stay live.
        await deps.revokeIssuedSession?.(tokens.refreshToken).catch(() => undefined);
        throw error;
      }
      // A correct password resets this account's counters for this client.
      await attempt?.succeeded();
      await deps.events.emit('userSignedIn', {
        user: snapshotOf(user),
        at: user.lastLogin ?? deps.clock.now(),
        ip: meta.ip,
        userAgent: meta.userAgent,
      });
      return { success: true, user, unarchiving, ...tokens };
    },

    async verifyToken(token: string): Promise<VerifyTokenResult> {
      const result = await deps.accessTokens.verify(token);
      if (result.ok) return { success: true, payload: result.claims };
      const code = result.reason === 'expired' ? 'expired_token' : 'invalid_token';
      return failed(new ErrorCollector().add(NON_FIELD_ERRORS, code));
    },

    /** The user verified access-token claims speak for, or null (unknown or inactive). */
    async viewerFromClaims(em: EntityManager, claims: AccessTokenClaims): Promise<User | null> {
      return createUserRepository(em).findActiveViewer(Number(claims.sub));
    },
  };
}

export type AuthService = ReturnType<typeof createAuthService>;
