import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../src/logger.js';
import { User } from '../src/modules/users/user.entity.js';
import { startTcpProxy, type TcpProxy } from './support/tcp-proxy.js';
import { TEST_REDIS_URL } from './support/test-database.js';
import { createTestInstance, type TestInstance } from './support/test-instance.js';
import { createUser } from './tokens/fixtures.js';

/** The production logger writing into memory: what an operator's log pipeline would receive. */
function capturingLogger() {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      lines.push(...String(chunk).split('\n').filter(Boolean));
      done();
    },
  });
  return { logger: createLogger('info', stream), lines };
}

describe('logs keep no secrets or personal data', () => {
  let api: TestInstance;
  let redis: TcpProxy;
  const captured = capturingLogger();

  beforeAll(async () => {
    const target = new URL(TEST_REDIS_URL);
    redis = await startTcpProxy({ host: target.hostname, port: Number(target.port) });
    api = await createTestInstance(
      'postgres+redis',
      { REDIS_COMMAND_TIMEOUT_MS: '300', REDIS_CONNECT_TIMEOUT_MS: '300' },
      { logger: captured.logger, via: { redis: (url) => redis.urlFor(url) } },
    );
  });
  afterAll(async () => {
    await api?.close();
    await redis?.close();
  });

  it('a failed statement is logged without its values (MikroORM inlines them in the message)', async () => {
    const username = await createUser(api, 'leaky');
    const email = `${username}@example.com`;
    const hash = '$2b$12$abcdefghijklmnopqrstuuT1S0uO1Kc0ZzYJ0b4A6w9v7mD8xQyC.';
    // Raw statement and unit-of-work flush: the drivers' own messages carry the values.
    const raw = await api.services.db.orm.em
      .fork()
      .getConnection()
      .execute(
        'insert into "user" ("email", "username", "password_hash", "first_name", "last_name", "date_joined") values (?, ?, ?, ?, ?, now())',
        [email, username, hash, 'Ada', 'Lovelace'],
      )
      .catch((error: unknown) => error);
    const em = api.services.db.orm.em.fork();
    const duplicate = new User();
    Object.assign(duplicate, { email, username, passwordHash: hash, firstName: 'Ada', lastName: 'Lovelace' });
    duplicate.dateJoined = api.clock.now();
    const flushed = await em
      .persist(duplicate)
      .flush()
      .catch((error: unknown) => error);
    for (const failure of [raw, flushed]) {
      expect(String((failure as Error).message)).toContain(username);
      api.services.logger.error({ err: failure }, 'statement failed');
    }

    const lines = captured.lines.filter((entry) => entry.includes('statement failed'));
    expect(lines).toHaveLength(2);
    for (const line of lines) {
      const logged = JSON.parse(line) as { err: { message: string; code?: string } };
      // What failed, from structured fields: unique_violation.
      expect(logged.err).toMatchObject({ message: '[statement omitted]', code: '23505' });
      for (const secret of [email, username, hash, 'Lovelace']) expect(line).not.toContain(secret);
    }
    expect(JSON.parse(lines[1]!).err.name).toBe('UniqueConstraintViolationException');
  });

  it('Redis client errors are JSON log lines, not raw console output', async () => {
    const stderr: string[] = [];
    const write = process.stderr.write.bind(process.stderr);
    process.stderr.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
      stderr.push(String(chunk));
      return write(chunk, ...(rest as []));
    }) as typeof process.stderr.write;
    try {
      redis.set({ kind: 'cut' });
      await expect
        .poll(() => captured.lines.some((entry) => entry.includes('redis client error')), { timeout: 3_000 })
        .toBe(true);
    } finally {
      redis.set({ kind: 'pass' });
      process.stderr.write = write;
    }
    // Nothing of the client's own reaches the console (a raw error line, an unhandled 'error' event).
    expect(stderr.join('')).not.toMatch(/redis|socket closed|ECONNRESET/i);
    for (const entry of captured.lines) expect(() => JSON.parse(entry)).not.toThrow();
    // What failed, by name and message: the error itself, not "[object Object]".
    const line = captured.lines.find((entry) => entry.includes('redis client error'))!;
    const logged = JSON.parse(line) as { err: { name?: string; message: string } };
    expect(logged.err.name).toEqual(expect.any(String));
    expect(logged.err.message).not.toBe('[object Object]');
  });
});
