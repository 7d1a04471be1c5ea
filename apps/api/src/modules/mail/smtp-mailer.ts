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

const FAILING_FOR_MS = 60_000;

/** Real delivery through an SMTP relay (nodemailer). */
export function createSmtpMailer(settings: SmtpSettings, logger: Logger): Mailer {
  const transport = nodemailer.createTransport({
    ...smtpOptionsFromUrl(settings.url),
    connectionTimeout: settings.timeoutMs,
    greetingTimeout: settings.timeoutMs,
    socketTimeout: settings.timeoutMs,
  });
  // After a failed delivery the relay counts as failing for a while, even if it still greets us
  // (a relay that refuses every recipient passes `verify`); a successful delivery ends it sooner.
  let failingUntil = 0;
  return {
    async send(message) {
      try {
        await transport.sendMail({ from: settings.from, ...message });
        failingUntil = 0;
      } catch (err) {
        failingUntil = Date.now() + FAILING_FOR_MS;
        // The recipient address is personal data and the body holds a token: log neither.
        const code = (err as { responseCode?: number; code?: string }) ?? {};
        logger.warn({ responseCode: code.responseCode, code: code.code }, 'SMTP delivery failed');
        throw new MailError('SMTP delivery failed', { cause: err });
      }
    },
    async check() {
      if (Date.now() < failingUntil) throw new MailError('SMTP delivery is failing');
      try {
        // Connects, greets and authenticates, then quits: what a send does before its recipient.
        await transport.verify();
      } catch (err) {
        const code = (err as { responseCode?: number; code?: string }) ?? {};
        logger.warn({ responseCode: code.responseCode, code: code.code }, 'SMTP server check failed');
        throw new MailError('SMTP server unavailable', { cause: err });
      }
    },
    async close() {
      transport.close();
    },
  };
}
