import { type EntityManager, UniqueConstraintViolationException } from '@mikro-orm/postgresql';
import type { Logger } from '../../logger.js';
import type { AuditLog } from '../audit/audit.service.js';
import type { ClientMeta } from '../base/client-meta.js';
import type { Clock } from '../base/clock.js';
import { ErrorCollector, NON_FIELD_ERRORS } from '../base/errors/expected-errors.js';
import { type Failure, failed } from '../base/errors/results.js';
import type { AppEventBus } from '../events/app-events.js';
import { MailError } from '../mail/mailer.js';
import { findUserByAnyEmail } from '../users/find-user-by-email.js';
import { User } from '../users/user.entity.js';
import { createUserRepository } from '../users/user.repository.js';
import { snapshotOf } from '../users/user-snapshot.js';
import { emailProblem, nameProblem, usernameProblem } from '../users/user-validation.js';
import type { AccessTokenClaims, AccessTokens } from './access-tokens.js';
import type { PasswordHasher } from './password-hasher.js';
import { validatePassword } from './password-validation.js';
import type { IssueTokenPair, NewAccountMail, TokenPair } from './token-pair.js';

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
}

/** Which field a unique index protects, to report a race-lost insert on the right argument. */
function fieldOfUniqueViolation(error: UniqueConstraintViolationException): 'email' | 'username' {
  return /username/.test(error.message) ? 'username' : 'email';
}

/** Registration, sign-in and token checks: the first path through the system. */
export function createAuthService(deps: AuthServiceDeps) {
  const { issueTokenPair } = deps;

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
      let user: User;
      try {
        // The account and its emailed token commit together, or not at all: an SMTP failure
        // answers email_fail and leaves no user behind.
        user = await em.transactional(async (tx) => {
          const created = new User();
          created.email = email;
          created.username = username;
          created.firstName = input.firstName?.trim() ?? '';
          created.lastName = input.lastName?.trim() ?? '';
          created.passwordHash = passwordHash;
          created.dateJoined = deps.clock.now();
          created.language = meta.locale ?? null;
          await tx.persist(created).flush();
          await deps.emails.send(tx as EntityManager, created, passwordless ? 'password-set' : 'activation');
          return created;
        });
      } catch (error) {
        if (error instanceof MailError) {
          return failed(new ErrorCollector().add(NON_FIELD_ERRORS, 'email_fail'));
        }
        // Two registrations raced past the checks above; the unique index decided.
        if (error instanceof UniqueConstraintViolationException) {
          const field = fieldOfUniqueViolation(error);
          return failed(
            new ErrorCollector().add(field, 'unique', `A user with that ${field} already exists.`),
          );
        }
        throw error;
      }
      deps.logger.info({ userId: user.id }, 'user registered');
      await deps.events.emit('userRegistered', { user: snapshotOf(user), at: user.dateJoined, passwordless });
      const tokens = deps.settings.allowUnverifiedLogin ? await issueTokenPair(user, meta) : null;
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

      const users = createUserRepository(em);
      const user =
        username !== null
          ? await users.findByUsername(username)
          : deps.settings.loginBySecondaryEmail
            ? ((await findUserByAnyEmail(em, email!))?.user ?? null)
            : await users.findByEmail(email!);
      // Unknown login, inactive account and wrong password answer alike, in the same time.
      const passwordOk =
        user?.passwordHash != null
          ? await deps.hasher.verify(input.password, user.passwordHash)
          : await deps.hasher.verifyAgainstDummy(input.password);
      if (!user || !passwordOk || !user.isActive) {
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
      user.archived = false;
      user.lastLogin = deps.clock.now();
      if (meta.locale) user.language = meta.locale; // the stored preference follows the latest ask
      await em.flush();
      const tokens = await issueTokenPair(user, meta);
      await deps.audit?.recordSignIn(em, meta, { ok: true, login: username ?? email!, user, unarchiving });
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
      const user = await createUserRepository(em).findById(Number(claims.sub));
      return user?.isActive ? user : null;
    },
  };
}

export type AuthService = ReturnType<typeof createAuthService>;
