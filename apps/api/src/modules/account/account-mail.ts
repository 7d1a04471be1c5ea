import type { Clock } from '../../clock.js';
import type { Config } from '../../config.js';
import type { Logger } from '../../logger.js';
import { createMailer } from '../mail/create-mailer.js';
import { loadMailTemplates } from '../mail/mail-templates.js';
import type { Mailer } from '../mail/mailer.js';
import { type AccountEmails, createAccountEmails } from './account-emails.js';

/** The mail side of the account feature, from config: transport, templates, token lifetimes. */
export async function createAccountMail(
  config: Config,
  clock: Clock,
  logger: Logger,
): Promise<{ mailer: Mailer; emails: AccountEmails }> {
  const templates = await loadMailTemplates(config.mail.templatesDir);
  const mailer = createMailer(config, clock, logger);
  const ttl = config.account.tokenTtlSeconds;
  const emails = createAccountEmails({
    mailer,
    templates,
    clock,
    publicAppUrl: config.mail.publicAppUrl,
    siteName: config.mail.siteName,
    ttlSeconds: {
      activation: ttl.activation,
      password_reset: ttl.passwordReset,
      password_set: ttl.passwordSet,
      secondary_email: ttl.secondaryEmail,
    },
  });
  return { mailer, emails };
}
