import type { Logger } from '../../logger.js';
import type { Clock } from '../base/clock.js';
import { createMailer, type MailTransportSettings } from '../mail/create-mailer.js';
import { loadMailTemplates, type MailTemplates } from '../mail/mail-templates.js';
import type { Mailer } from '../mail/mailer.js';
import { type AccountEmails, createAccountEmails } from './account-emails.js';
import type { EmailTokenPurpose } from './email-token.js';

export interface AccountMailSettings {
  transport: MailTransportSettings;
  /** Files here replace the built-in templates; null for the built-in ones. */
  templatesDir: string | null;
  /** Base of the links in emails. */
  publicAppUrl: string;
  siteName: string;
  /** Email token lifetimes by purpose, in seconds. */
  tokenTtlSeconds: Record<EmailTokenPurpose, number>;
}

/** The mail side of the account feature: transport, templates, token lifetimes. */
export async function createAccountMail(
  settings: AccountMailSettings,
  clock: Clock,
  logger: Logger,
  /** Decorates the transport before anything uses it (metrics, tracing). */
  wrapMailer: (mailer: Mailer) => Mailer = (mailer) => mailer,
): Promise<{ mailer: Mailer; emails: AccountEmails; templates: MailTemplates }> {
  const templates = await loadMailTemplates(settings.templatesDir);
  const mailer = wrapMailer(createMailer(settings.transport, clock, logger));
  const emails = createAccountEmails({
    mailer,
    templates,
    clock,
    publicAppUrl: settings.publicAppUrl,
    siteName: settings.siteName,
    logger,
    ttlSeconds: settings.tokenTtlSeconds,
  });
  return { mailer, emails, templates };
}
