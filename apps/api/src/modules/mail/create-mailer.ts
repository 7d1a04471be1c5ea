import { join } from 'node:path';
import type { Clock } from '../../clock.js';
import type { Config } from '../../config.js';
import type { Logger } from '../../logger.js';
import type { Mailer } from './mailer.js';
import { createOutboxMailer } from './outbox-mailer.js';
import { createSmtpMailer } from './smtp-mailer.js';

/** SMTP when `SMTP_URL` is set, else the outbox under `<dataDir>/mail/`. */
export function createMailer(config: Config, clock: Clock, logger: Logger): Mailer {
  const { mail } = config;
  if (mail.smtpUrl !== null) {
    return createSmtpMailer({ url: mail.smtpUrl, from: mail.from, timeoutMs: mail.smtpTimeoutMs }, logger);
  }
  const directory = join(config.dataDir, 'mail');
  if (config.env === 'production') {
    // Links in emails are credentials: outside development they never go to stdout.
    logger.warn({ directory }, 'SMTP_URL is not set: emails are only written to the outbox directory');
  }
  return createOutboxMailer(
    {
      directory,
      from: mail.from,
      print: config.env === 'development' ? (text) => process.stdout.write(`${text}\n`) : null,
    },
    clock,
  );
}
