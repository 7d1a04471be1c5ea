import { SpanKind, type Tracer } from '@opentelemetry/api';
import { inSpan, markFailed } from './tracing.js';

interface Hasher {
  hash(password: string): Promise<string>;
  // The answer passes through untouched (a boolean, or the hasher port's verification result).
  verify(password: string, passwordHash: string, userId?: number): Promise<unknown>;
  verifyAgainstDummy(password: string): Promise<false>;
}

/** bcrypt calls as spans: the usual reason a sign-in is slow. No argument is recorded. */
export function tracedHasher<H extends Hasher>(hasher: H, tracer: Tracer): H {
  return {
    ...hasher,
    hash: (password) => inSpan(tracer, 'bcrypt.hash', {}, () => hasher.hash(password)),
    verify: (password, passwordHash, userId) =>
      inSpan(tracer, 'bcrypt.verify', {}, () => hasher.verify(password, passwordHash, userId)),
    verifyAgainstDummy: (password) =>
      inSpan(tracer, 'bcrypt.verify', {}, () => hasher.verifyAgainstDummy(password)),
  };
}

interface Mailer {
  send(message: never): Promise<void>;
}

/** Each handed-over message as a client span. Recipient, subject and body stay out of it. */
export function tracedMailer<M extends Mailer>(mailer: M, tracer: Tracer): M {
  return {
    ...mailer,
    send: (message: Parameters<M['send']>[0]) =>
      tracer.startActiveSpan('smtp.send', { kind: SpanKind.CLIENT }, async (span) => {
        try {
          await mailer.send(message);
        } catch (error) {
          markFailed(span, error);
          throw error;
        } finally {
          span.end();
        }
      }),
  };
}

/** What of a node-redis client is traced: every command and script call goes through `sendCommand`. */
interface RedisCommandSender {
  sendCommand(args: readonly unknown[], ...rest: never[]): Promise<unknown>;
}

/**
 * Each Redis command as a client span named by the command only: keys and arguments hold token
 * digests and user ids, so they are not recorded.
 */
export function traceRedis(redis: RedisCommandSender, tracer: Tracer): void {
  const send = redis.sendCommand.bind(redis);
  redis.sendCommand = (args, ...rest) => {
    const name = String(args[0]);
    const span = tracer.startSpan(`redis ${name.toLowerCase()}`, {
      kind: SpanKind.CLIENT,
      attributes: { 'db.system.name': 'redis', 'db.operation.name': name.toUpperCase() },
    });
    const reply = send(args, ...rest);
    reply.then(
      () => span.end(),
      (error: unknown) => {
        markFailed(span, error);
        span.end();
      },
    );
    return reply;
  };
}

/** knex's query events (MikroORM runs every statement through knex). */
interface QueryEvents {
  on(event: 'query', listener: (query: { __knexQueryUid?: string; sql?: string }) => void): unknown;
  on(
    event: 'query-response',
    listener: (response: unknown, query: { __knexQueryUid?: string }) => void,
  ): unknown;
  on(event: 'query-error', listener: (error: unknown, query: { __knexQueryUid?: string }) => void): unknown;
}

/**
 * Each SQL statement as a client span named by its verb (SELECT, INSERT...). The statement text is
 * left out: MikroORM may inline values into it.
 */
export function traceSql(knex: QueryEvents, tracer: Tracer): void {
  const open = new Map<string, ReturnType<Tracer['startSpan']>>();
  knex.on('query', (query) => {
    if (!query.__knexQueryUid) return;
    const verb = /^\s*(\w+)/.exec(query.sql ?? '')?.[1]?.toUpperCase() ?? 'SQL';
    open.set(
      query.__knexQueryUid,
      tracer.startSpan(verb, {
        kind: SpanKind.CLIENT,
        attributes: { 'db.system.name': 'postgresql', 'db.operation.name': verb },
      }),
    );
  });
  const finish = (uid: string | undefined, error?: unknown) => {
    const span = uid ? open.get(uid) : undefined;
    if (!span || !uid) return;
    open.delete(uid);
    if (error !== undefined) markFailed(span, error);
    span.end();
  };
  knex.on('query-response', (_response, query) => finish(query.__knexQueryUid));
  knex.on('query-error', (error, query) => finish(query.__knexQueryUid, error ?? 'error'));
}
