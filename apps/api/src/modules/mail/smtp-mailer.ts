import nodemailer, { type NodemailerError } from 'nodemailer';
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

/** How long a successful relay check (or delivery) stands for, instead of a connection per request. */
const RELAY_OK_FOR_MS = 30_000;
/** How long a relay-level failure stands for: checks fail at once, without connecting, until then. */
const RELAY_FAILING_FOR_MS = 30_000;

/**
 * Whether a nodemailer error says the relay cannot take mail at all (connect, TLS, greeting, auth,
 * `MAIL FROM` refused, timeouts) rather than that this one message failed (a recipient refused at
 * `RCPT TO`, the data refused). Only the first kind may change the answers of other requests: a
 * refused recipient marking the relay as failing would make unknown addresses answer `email_fail`
 * while known ones succeed, a false failure and an oracle of who exists. Unknown errors count as
 * relay-level: when in doubt, every address answers alike.
 */
export function isRelayFailure(err: unknown): boolean {
  const { code, command, message } = (err ?? {}) as NodemailerError;
  if (command === 'RCPT TO' || command === 'DATA') return false;
  if (code === 'EMESSAGE' || code === 'ESTREAM') return false;
  if (code === 'EENVELOPE' && command !== 'MAIL FROM' && /recipient/i.test(message ?? '')) return false;
  return true;
}

export interface SmtpMailerOptions {
  /** Milliseconds for the relay-state windows; tests pass a manual clock. */
  now?: () => number;
}

/** Bounds a wait that takes no abort signal (`verify()`): the total of its steps, as for a send. */
async function withinTotal<T>(ms: number, work: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(Object.assign(new Error('SMTP check timed out'), { code: 'ETIMEDOUT' })),
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
export function createSmtpMailer(
  settings: SmtpSettings,
  logger: Logger,
  options: SmtpMailerOptions = {},
): Mailer {
  const now = options.now ?? Date.now;
  const transport = nodemailer.createTransport({
    ...smtpOptionsFromUrl(settings.url),
    connectionTimeout: settings.timeoutMs,
    greetingTimeout: settings.timeoutMs,
    socketTimeout: settings.timeoutMs,
  });
  // The relay's state as last seen, by a check or a delivery: `check` answers from it while it is
  // fresh, so unknown-address requests cost no SMTP connection (no amplification) and concurrent
  // checks share one `verify`.
  let relay: { ok: boolean; until: number } = { ok: false, until: 0 };
  let verifying: Promise<void> | null = null;
  const relayOk = () => {
    relay = { ok: true, until: now() + RELAY_OK_FOR_MS };
  };
  const relayFailing = () => {
    relay = { ok: false, until: now() + RELAY_FAILING_FOR_MS };
  };
  /** Logs the SMTP codes only (the recipient is personal data, the body holds a token) and wraps. */
  const failure = (err: unknown, what: string) => {
    const code = (err ?? {}) as NodemailerError;
    logger.warn({ responseCode: code.responseCode, code: code.code, command: code.command }, what);
    return new MailError(what, { cause: err });
  };
  /**
   * A fresh connection that greets, authenticates and quits (what a send does before its envelope),
   * bounded as a whole like a send; its outcome is the relay's state from now on.
   */
  const verifyRelay = async (what: string) => {
    try {
      await withinTotal(settings.timeoutMs * 2, transport.verify());
      relayOk();
    } catch (err) {
      if (isRelayFailure(err)) relayFailing();
      throw failure(err, what);
    }
  };
  return {
    async send(message) {
      try {
        // nodemailer bounds each wait (connect, greeting, idle socket) but not their sum: a relay
        // that trickles its answers could hold a send for minutes. The whole send gets one bound, as
        // an abort signal (nodemailer ≥ 10.5), so the connection is closed too, not just left behind
        // (the abort fails with EABORT, a relay-level failure).
        await transport.sendMail({
          from: settings.from,
          ...message,
          signal: AbortSignal.timeout(settings.timeoutMs * 2),
        });
        relayOk();
      } catch (err) {
        if (!isRelayFailure(err)) {
          // The relay works (it got as far as this recipient): only this message failed.
          relayOk();
          throw failure(err, 'SMTP refused the message');
        }
        relayFailing();
        throw failure(err, 'SMTP delivery failed');
      }
    },
    async check() {
      if (now() < relay.until) {
        if (relay.ok) return;
        throw new MailError('SMTP delivery is failing');
      }
      verifying ??= verifyRelay('SMTP server check failed').finally(() => {
        verifying = null;
      });
      return verifying;
    },
    probe: () => verifyRelay('SMTP probe failed'),
    async close() {
      transport.close();
    },
  };
}
