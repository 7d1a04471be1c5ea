import type { Logger } from '../../logger.js';
import type { Clock } from '../base/clock.js';
import type { Mailer } from './mailer.js';
import { createOutboxMailer } from './outbox-mailer.js';
import { createSmtpMailer } from './smtp-mailer.js';

export interface MailTransportSettings {
  /** null: the development outbox (`.eml` files in `outboxDir`). */
  smtpUrl: string | null;
  from: string;
  smtpTimeoutMs: number;
  outboxDir: string;
  /** Development: the outbox also prints each mail (its links are credentials: never elsewhere). */
  printOutbox: boolean;
  /** Production without SMTP: say so once at start-up. */
  warnOutboxOnly: boolean;
}

/** SMTP when an SMTP URL is set, else the outbox directory. */
export function createMailer(settings: MailTransportSettings, clock: Clock, logger: Logger): Mailer {
  if (settings.smtpUrl !== null) {
    return createSmtpMailer(
      { url: settings.smtpUrl, from: settings.from, timeoutMs: settings.smtpTimeoutMs },
      logger,
    );
  }
  if (settings.warnOutboxOnly) {
    logger.warn(
      { directory: settings.outboxDir },
      'SMTP_URL is not set: emails are only written to the outbox directory',
    );
  }
  return createOutboxMailer(
    {
      directory: settings.outboxDir,
      from: settings.from,
      print: settings.printOutbox ? (text) => process.stdout.write(`${text}\n`) : null,
    },
    clock,
  );
}
