import { type AddressInfo, createServer } from 'node:net';
import { type ParsedMail, simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';

/** One captured message, parsed. */
export interface CapturedMail {
  to: string[];
  from: string;
  subject: string;
  text: string;
  html: string;
  raw: ParsedMail;
}

export interface SmtpCapture {
  /** `smtp://127.0.0.1:<port>`, for `SMTP_URL`. */
  url: string;
  mails: CapturedMail[];
  /**
   * 'refuse': the relay refuses every message at `MAIL FROM` with a 550 (a relay-level failure: mail
   * cannot go out at all).
   */
  mode: 'accept' | 'refuse';
  /** Recipients refused at `RCPT TO` with a 550 (lower case): that message fails, the relay works. */
  refusedRecipients: Set<string>;
  /** SMTP connections accepted so far (a relay check costs one). */
  connections: number;
  /** Milliseconds before the greeting: a relay far away (connect, TLS) whose cost every send pays. */
  connectDelayMs: number;
  /** The last mail sent to `address` (case-insensitive); throws when there is none. */
  lastTo(address: string): CapturedMail;
  /** The token of the last mail to `address`: the last path segment of its link. */
  tokenFor(address: string, path: string): string;
  clear(): void;
  close(): Promise<void>;
}

/**
 * A real SMTP server on loopback (port 0: the OS picks a free one) that parses and keeps every
 * message, so tests read the emails the API sent and follow their links. No TLS, no auth.
 */
export async function startSmtpCapture(): Promise<SmtpCapture> {
  const mails: CapturedMail[] = [];
  const capture: SmtpCapture = {
    url: '',
    mails,
    mode: 'accept',
    refusedRecipients: new Set(),
    connections: 0,
    connectDelayMs: 0,
    lastTo(address) {
      const wanted = address.toLowerCase();
      const mail = mails.findLast((m) => m.to.some((to) => to.toLowerCase() === wanted));
      if (!mail) throw new Error(`no mail to ${address} among ${mails.length}`);
      return mail;
    },
    tokenFor(address, path) {
      // The last mail to the address that carries such a link: a security notice may have come after.
      const link = new RegExp(`https?://[^\\s"<>]+/${path}/([A-Za-z0-9_-]+)`);
      const wanted = address.toLowerCase();
      const mail = mails.findLast((m) => m.to.some((to) => to.toLowerCase() === wanted) && link.test(m.text));
      if (!mail) throw new Error(`no /${path}/<token> link in the mails to ${address}`);
      return link.exec(mail.text)![1]!;
    },
    clear() {
      mails.length = 0;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    // No reverse DNS of 127.0.0.1: it costs ~150 ms per connection on some machines.
    disableReverseLookup: true,
    logger: false,
    onConnect(_session, callback) {
      capture.connections += 1;
      if (capture.connectDelayMs > 0) setTimeout(callback, capture.connectDelayMs);
      else callback();
    },
    onMailFrom(_address, _session, callback) {
      if (capture.mode === 'refuse') {
        callback(Object.assign(new Error('Relaying denied'), { responseCode: 550 }));
        return;
      }
      callback();
    },
    onRcptTo(address, _session, callback) {
      if (capture.refusedRecipients.has(address.address.toLowerCase())) {
        callback(Object.assign(new Error('Mailbox unavailable'), { responseCode: 550 }));
        return;
      }
      callback();
    },
    onData(stream, session, callback) {
      simpleParser(stream)
        .then((parsed) => {
          mails.push({
            to: session.envelope.rcptTo.map((rcpt) => rcpt.address),
            from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
            subject: parsed.subject ?? '',
            text: parsed.text ?? '',
            html: typeof parsed.html === 'string' ? parsed.html : '',
            raw: parsed,
          });
          callback();
        })
        .catch(callback);
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.server.address() as AddressInfo;
  capture.url = `smtp://127.0.0.1:${port}`;
  return capture;
}

/** An `smtp://` URL on loopback where nothing listens (a port just freed): connections are refused. */
export async function unreachableSmtpUrl(): Promise<string> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return `smtp://127.0.0.1:${port}`;
}
