import nodemailer from 'nodemailer';
import type { Logger } from '../../logger.js';
import { MailError, type Mailer } from './mailer.js';

export interface SmtpSettings {
  /** smtp://user:pass@host:port or smtps://... */
  url: string;
  from: string;
  /** Bounds connect, greeting and idle socket time: a sending request holds a DB transaction open. */
  timeoutMs: number;
}

/** Connection options from the URL; credentials are percent-decoded. */
export function smtpOptionsFromUrl(url: string) {
  const parsed = new URL(url);
  const secure = parsed.protocol === 'smtps:';
  const user = decodeURIComponent(parsed.username);
  return {
    host: parsed.hostname,
    port: parsed.port ? Number(parsed.port) : secure ? 465 : 587,
    secure,
    auth: user ? { user, pass: decodeURIComponent(parsed.password) } : undefined,
  };
}

/** Real delivery through an SMTP relay (nodemailer). */
export function createSmtpMailer(settings: SmtpSettings, logger: Logger): Mailer {
  const transport = nodemailer.createTransport({
    ...smtpOptionsFromUrl(settings.url),
    connectionTimeout: settings.timeoutMs,
    greetingTimeout: settings.timeoutMs,
    socketTimeout: settings.timeoutMs,
  });
  return {
    async send(message) {
      try {
        await transport.sendMail({ from: settings.from, ...message });
      } catch (err) {
        // The recipient address is personal data and the body holds a token: log neither.
        const code = (err as { responseCode?: number; code?: string }) ?? {};
        logger.warn({ responseCode: code.responseCode, code: code.code }, 'SMTP delivery failed');
        throw new MailError('SMTP delivery failed', { cause: err });
      }
    },
    async close() {
      transport.close();
    },
  };
}
