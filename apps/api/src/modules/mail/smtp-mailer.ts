import nodemailer from 'nodemailer';
import type { Logger } from '../../logger.js';
import { MailError, type Mailer } from './mailer.js';

export interface SmtpSettings {
  /** smtp://user:pass@host:port or smtps://... */
  url: string;
  from: string;
  /** Bounds connect, greeting and idle socket time each, and twice it the whole send. */
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

async function withinTotal<T>(ms: number, work: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(Object.assign(new Error('SMTP send timed out'), { code: 'ETIMEDOUT' })),
      ms,
    );
  });
  try {
    return await Promise.race([work, deadline]);
  } finally {
    clearTimeout(timer);
  }
}

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
  /** Logs the SMTP codes only (the recipient is personal data, the body holds a token) and wraps. */
  const failure = (err: unknown, what: string) => {
    const code = (err as { responseCode?: number; code?: string }) ?? {};
    logger.warn({ responseCode: code.responseCode, code: code.code }, what);
    return new MailError(what, { cause: err });
  };
  return {
    async send(message) {
      try {
        // nodemailer bounds each wait (connect, greeting, idle socket) but not their sum: a relay
        // that trickles its answers could hold a send for minutes. The whole send gets one bound.
        await withinTotal(settings.timeoutMs * 2, transport.sendMail({ from: settings.from, ...message }));
        failingUntil = 0;
      } catch (err) {
        failingUntil = Date.now() + FAILING_FOR_MS;
        throw failure(err, 'SMTP delivery failed');
      }
    },
    async check() {
      if (Date.now() < failingUntil) throw new MailError('SMTP delivery is failing');
      try {
        // Connects, greets and authenticates, then quits: what a send does before its recipient.
        await transport.verify();
      } catch (err) {
        throw failure(err, 'SMTP server check failed');
      }
    },
    async close() {
      transport.close();
    },
  };
}
