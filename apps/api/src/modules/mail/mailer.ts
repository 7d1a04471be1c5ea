/** One rendered message, ready for a transport. */
export interface MailMessage {
  to: string;
  subject: string;
  html: string;
  text: string;
}

/**
 * The mail port. Implementations: SMTP (`SMTP_URL`) and the development outbox. `send` resolves
 * once the message is accepted and rejects with `MailError` otherwise, so callers can roll back.
 */
export interface Mailer {
  send(message: MailMessage): Promise<void>;
  /**
   * Rejects with `MailError` when a send would fail now, as far as that can be told without sending:
   * the answers for unknown addresses must fail as real sends do, or failures would tell who exists.
   */
  check(): Promise<void>;
  /**
   * The transport work of a send without handing a message over (SMTP: a fresh connection that
   * greets, authenticates and quits, never the cached check; the outbox: compose and write a file,
   * then delete it). Timed at start-up, it tells unknown-address answers how long a send takes before
   * any real one was measured. Rejects with `MailError` like `send`.
   */
  probe(): Promise<void>;
  close(): Promise<void>;
}

/** The message could not be handed over (connection refused, recipient rejected, timeout...). */
export class MailError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'MailError';
  }
}
