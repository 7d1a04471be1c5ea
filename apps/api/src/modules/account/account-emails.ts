import type { EntityManager } from '@mikro-orm/postgresql';
import { createMikroOrmSqlClient } from '../../db/sql-client.js';
import type { Logger } from '../../logger.js';
import type { Clock } from '../base/clock.js';
import type { AccountMailTemplateName, MailTemplates } from '../mail/mail-templates.js';
import { MailError, type Mailer } from '../mail/mailer.js';
import { digestToken } from '../tokens/token-store.js';
import { findUserByAnyEmail } from '../users/find-user-by-email.js';
import { User } from '../users/user.entity.js';
import {
  checkEmailToken,
  describeDuration,
  type EmailTokenCheck,
  type EmailTokenPurpose,
  type EmailTokenRecord,
  emailLink,
  generateEmailToken,
  PASSWORD_BOUND_PURPOSES,
} from './email-token.js';
import { createEmailTokenStore, type EmailTokenStore } from './email-token.store.js';

/**
 * How many of a user's links of one purpose stay valid at once (activation, reset, set): enough
 * that requests by someone else cannot cancel the link the owner is using, few enough to bound
 * what exists. Each is single-use and all die on any password change.
 */
export const KEEP_VALID = 3;

/** The purpose of the token each message carries. */
const PURPOSE_OF: Record<AccountMailTemplateName, EmailTokenPurpose> = {
  activation: 'activation',
  'activation-resend': 'activation',
  'password-reset': 'password_reset',
  'password-set': 'password_set',
  'secondary-email-activation': 'secondary_email',
};

export interface AccountEmailsDeps {
  mailer: Mailer;
  templates: MailTemplates;
  clock: Clock;
  publicAppUrl: string;
  siteName: string;
  /** Lifetime of each kind of token, in seconds. */
  ttlSeconds: Record<EmailTokenPurpose, number>;
  logger?: Pick<Logger, 'warn'>;
}

type MailUser = Pick<User, 'username' | 'email' | 'firstName' | 'lastName' | 'language'>;

/** A presented token: `invalid` when unknown, of another purpose, or its user is gone or inactive. */
export type OpenedEmailToken =
  | { status: 'invalid' }
  | { status: Exclude<EmailTokenCheck, 'invalid'>; record: EmailTokenRecord; user: User };

/** Issues email tokens and mails their links: what register and the account operations share. */
export function createAccountEmails(deps: AccountEmailsDeps) {
  function render(name: AccountMailTemplateName, user: MailUser, to: string, token: string) {
    const purpose = PURPOSE_OF[name];
    return deps.templates.render(
      name,
      {
        user: {
          username: user.username,
          email: user.email,
          firstName: user.firstName,
          lastName: user.lastName,
        },
        link: emailLink(deps.publicAppUrl, purpose, token),
        token,
        siteName: deps.siteName,
        publicAppUrl: deps.publicAppUrl,
        email: to,
        validFor: describeDuration(deps.ttlSeconds[purpose]),
      },
      user.language,
    );
  }

  /** The token store bound to `em` (and so to its transaction, when there is one). */
  function tokens(em: EntityManager): EmailTokenStore {
    return createEmailTokenStore(createMikroOrmSqlClient(em));
  }

  function rehearse(name: AccountMailTemplateName, email: string): void {
    const token = generateEmailToken();
    digestToken(token);
    render(name, { username: '', email, firstName: '', lastName: '', language: null }, email, token);
  }

  return {
    tokens,

    /** Looks a presented token up and classifies it for `purpose` at the clock's now. */
    async open(em: EntityManager, token: string, purpose: EmailTokenPurpose): Promise<OpenedEmailToken> {
      const record = await tokens(em).find(token);
      let status = checkEmailToken(record, purpose, deps.clock.now());
      if (status === 'invalid' || record === null) return { status: 'invalid' };
      const user = await em.findOne(User, { id: record.userId });
      if (!user?.isActive) return { status: 'invalid' };
      // Belt and braces: a password change anywhere (even one that forgot to revoke) kills older tokens.
      const changedAt = user.passwordChangedAt?.getTime();
      if (
        PASSWORD_BOUND_PURPOSES.includes(purpose) &&
        changedAt !== undefined &&
        record.createdAt.getTime() < changedAt
      ) {
        status = 'used';
      }
      return { status, record, user };
    },

    /**
     * Issues a token and mails its link to `to` (default: the user's email). Never inside a
     * transaction, and no pooled connection is held while SMTP talks: the token is committed first
     * (one statement), then the mail goes out, then
     *  - sent: older links of the purpose are superseded beyond the few newest (`KEEP_VALID`), so a
     *    stranger requesting another link does not kill the one the owner is about to click; a
     *    secondary-email link binds an address and supersedes all older ones;
     *  - not sent (`MailError`, rethrown for `email_fail`): the token is discarded, so the failed
     *    answer leaves nothing behind.
     * Must not be called with an EntityManager inside a transaction (the send would hold it).
     */
    async send(
      em: EntityManager,
      user: User,
      name: AccountMailTemplateName,
      to: string = user.email,
    ): Promise<void> {
      const purpose = PURPOSE_OF[name];
      const store = tokens(em);
      const { token, digest } = await store.issue({
        userId: user.id,
        purpose,
        email: purpose === 'secondary_email' ? to : null,
        now: deps.clock.now(),
        ttlSeconds: deps.ttlSeconds[purpose],
      });
      try {
        await deps.mailer.send({ to, ...render(name, user, to, token) });
      } catch (error) {
        if (error instanceof MailError) await store.discard(digest);
        throw error;
      }
      const keep = purpose === 'secondary_email' ? 1 : KEEP_VALID;
      // The mail went out: whatever happens now, the answer is success. Failing to supersede only
      // leaves older links valid a little longer (until the next settle or password change).
      await store
        .settle({ digest, userId: user.id, purpose }, keep, deps.clock.now())
        .catch((error: unknown) => {
          deps.logger?.warn({ err: error, purpose }, 'older email links not superseded');
        });
    },

    /**
     * The CPU work of `send` without storing or sending anything: for unknown addresses, so that
     * their answer costs what a real one does (the rest is imitated by the latency mimic).
     */
    rehearse,

    /**
     * How long a real send takes, measured without sending: the same lookup, rendering and two
     * statements (a send's issue and settle) as a real one, and the relay's own dialogue on a fresh
     * connection (`Mailer.probe`). Seeds the latency mimic before the first real send is measured.
     */
    async timeASend(em: EntityManager): Promise<number> {
      const started = performance.now();
      const address = `${generateEmailToken().slice(0, 16)}@probe.invalid`;
      await findUserByAnyEmail(em, address);
      rehearse('password-reset', address);
      const connection = em.getConnection();
      await connection.execute('select 1');
      await deps.mailer.probe();
      await connection.execute('select 1');
      return performance.now() - started;
    },

    /** Whether mail would go out now (see `Mailer.check`): false answers `email_fail`. */
    async deliverable(): Promise<boolean> {
      try {
        await deps.mailer.check();
        return true;
      } catch (error) {
        if (error instanceof MailError) return false;
        throw error;
      }
    },
  };
}

export type AccountEmails = ReturnType<typeof createAccountEmails>;
