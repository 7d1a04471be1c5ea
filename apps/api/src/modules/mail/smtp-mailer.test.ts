// The SMTP mailer against a real SMTP server on loopback (smtp-server): which failures count as "mail
// cannot go out", and how often a relay check connects.
import { type AddressInfo, createServer, type Socket } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  type SmtpCapture,
  startSmtpCapture,
  unreachableSmtpUrl,
} from '../../../test/support/smtp-capture.js';
import { createLogger } from '../../logger.js';
import { MailError, type Mailer } from './mailer.js';
import { createSmtpMailer } from './smtp-mailer.js';

const message = (to: string) => ({ to, subject: 'Hello', text: 'Hello.', html: '<p>Hello.</p>' });

describe('SMTP mailer', () => {
  let smtp: SmtpCapture;
  let mailer: Mailer;
  let nowMs = 0;
  const advance = (ms: number) => {
    nowMs += ms;
  };

  beforeAll(async () => {
    smtp = await startSmtpCapture();
  });
  afterAll(async () => {
    await smtp?.close();
  });
  beforeEach(async () => {
    await mailer?.close();
    smtp.mode = 'accept';
    smtp.refusedRecipients.clear();
    smtp.clear();
    nowMs = 1_000_000;
    mailer = createSmtpMailer(
      { url: smtp.url, from: 'site@example.com', timeoutMs: 2_000 },
      createLogger('silent'),
      { now: () => nowMs },
    );
  });

  it('a refused recipient fails that message only: the relay check passes, other recipients get mail', async () => {
    smtp.refusedRecipients.add('refused@example.com');
    await expect(mailer.send(message('refused@example.com'))).rejects.toBeInstanceOf(MailError);
    await expect(mailer.check()).resolves.toBeUndefined();
    await mailer.send(message('fine@example.com'));
    expect(smtp.mails.map((mail) => mail.to)).toEqual([['fine@example.com']]);
    // Still judged per message afterwards: the refused address keeps failing, the relay keeps passing.
    await expect(mailer.send(message('refused@example.com'))).rejects.toThrow('SMTP refused the message');
    await expect(mailer.check()).resolves.toBeUndefined();
  });

  it('a relay that refuses MAIL FROM is failing: checks fail at once, without connecting, for a short time', async () => {
    smtp.mode = 'refuse';
    await expect(mailer.send(message('anyone@example.com'))).rejects.toThrow('SMTP delivery failed');
    const connections = smtp.connections;
    for (let i = 0; i < 5; i++) await expect(mailer.check()).rejects.toThrow('SMTP delivery is failing');
    expect(smtp.connections).toBe(connections);
    // After the window the relay is checked again (one connection); it greets, so it passes.
    advance(30_001);
    await expect(mailer.check()).resolves.toBeUndefined();
    expect(smtp.connections).toBe(connections + 1);
    // A delivery that works ends the failing state at once.
    smtp.mode = 'accept';
    await mailer.send(message('back@example.com'));
    await expect(mailer.check()).resolves.toBeUndefined();
  });

  it('caches a passing relay check: one connection for many checks (also concurrent ones), again after 30 s', async () => {
    const before = smtp.connections;
    await Promise.all(Array.from({ length: 5 }, () => mailer.check()));
    for (let i = 0; i < 20; i++) await mailer.check();
    expect(smtp.connections - before).toBe(1);
    advance(29_000);
    await mailer.check();
    expect(smtp.connections - before).toBe(1);
    advance(2_000);
    await mailer.check();
    expect(smtp.connections - before).toBe(2);
  });

  it('an unreachable relay fails the check and the send (connection refused)', async () => {
    const closed = createSmtpMailer(
      { url: await unreachableSmtpUrl(), from: 'site@example.com', timeoutMs: 2_000 },
      createLogger('silent'),
      { now: () => nowMs },
    );
    try {
      await expect(closed.check()).rejects.toThrow('SMTP server check failed');
      await expect(closed.check()).rejects.toThrow('SMTP delivery is failing');
      await expect(closed.send(message('x@example.com'))).rejects.toThrow('SMTP delivery failed');
    } finally {
      await closed.close();
    }
  });

  it('a relay that trickles its answers is cut off at twice the timeout, its connection closed', async () => {
    // Greets at once, then answers EHLO one byte at a time, each well inside the idle timeout: no
    // single wait of nodemailer's runs out, only the bound on the whole send does.
    const sockets = new Set<Socket>();
    let open = 0;
    const trickler = createServer((socket) => {
      sockets.add(socket);
      open += 1;
      socket.on('close', () => {
        open -= 1;
        sockets.delete(socket);
      });
      socket.on('error', () => {});
      socket.write('220 slow.test ESMTP\r\n');
      socket.once('data', () => {
        const timer = setInterval(() => socket.write('2'), 50);
        socket.on('close', () => clearInterval(timer));
      });
    });
    await new Promise<void>((resolve) => trickler.listen(0, '127.0.0.1', resolve));
    const slow = createSmtpMailer(
      {
        url: `smtp://127.0.0.1:${(trickler.address() as AddressInfo).port}`,
        from: 'site@example.com',
        timeoutMs: 300,
      },
      createLogger('silent'),
      { now: () => nowMs },
    );
    try {
      const started = performance.now();
      await expect(slow.send(message('x@example.com'))).rejects.toThrow('SMTP delivery failed');
      const elapsed = performance.now() - started;
      expect(elapsed).toBeGreaterThanOrEqual(550);
      expect(elapsed).toBeLessThan(2_000);
      // A relay-level failure: checks fail at once, and the stalled connection was not left open.
      await expect(slow.check()).rejects.toThrow('SMTP delivery is failing');
      await expect.poll(() => open, { timeout: 2_000 }).toBe(0);
    } finally {
      await slow.close();
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => trickler.close(() => resolve()));
    }
  });
});
