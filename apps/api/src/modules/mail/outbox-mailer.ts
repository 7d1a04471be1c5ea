import { randomBytes } from 'node:crypto';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import nodemailer from 'nodemailer';
import type { Clock } from '../base/clock.js';
import { MailError, type Mailer } from './mailer.js';

export interface OutboxSettings {
  /** Where `.eml` files go: `<dataDir>/mail`. */
  directory: string;
  from: string;
  /**
   * Prints each message (recipient, subject, text body with its link) for the developer. Null to
   * stay quiet (tests, or production without SMTP, where links are secrets that must not reach logs).
   */
  print: ((text: string) => void) | null;
}

/**
 * Development mail: nothing leaves the machine. Each message is written as an RFC 822 `.eml` file
 * (open it in any mail client) and, in development, printed to the console.
 */
export function createOutboxMailer(settings: OutboxSettings, clock: Clock): Mailer {
  // nodemailer's stream transport builds the exact bytes an SMTP server would have received.
  const composer = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix' });
  let ready: Promise<unknown> | undefined;
  return {
    async check() {
      try {
        ready ??= mkdir(settings.directory, { recursive: true });
        await ready;
      } catch (err) {
        throw new MailError('could not write the outbox', { cause: err });
      }
    },
    async send(message) {
      try {
        ready ??= mkdir(settings.directory, { recursive: true });
        await ready;
        const info = await composer.sendMail({ from: settings.from, ...message });
        const stamp = clock.now().toISOString().replace(/[:.]/g, '-');
        const file = join(settings.directory, `${stamp}-${randomBytes(4).toString('hex')}.eml`);
        await writeFile(file, info.message as Buffer, { mode: 0o600 });
        settings.print?.(
          [`--- mail to ${message.to}: ${message.subject}`, message.text.trim(), `--- saved as ${file}`].join(
            '\n',
          ),
        );
      } catch (err) {
        throw new MailError('could not write the outbox', { cause: err });
      }
    },
    async probe() {
      try {
        ready ??= mkdir(settings.directory, { recursive: true });
        await ready;
        const info = await composer.sendMail({
          from: settings.from,
          to: settings.from,
          subject: 'probe',
          text: 'probe',
        });
        const file = join(settings.directory, `.probe-${randomBytes(4).toString('hex')}.tmp`);
        await writeFile(file, info.message as Buffer, { mode: 0o600 });
        await rm(file, { force: true });
      } catch (err) {
        throw new MailError('could not write the outbox', { cause: err });
      }
    },
    async close() {},
  };
}
