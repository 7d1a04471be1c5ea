/**
 * Which failures mean "a dependency (PostgreSQL, Redis) did not answer in time or is gone", as
 * opposed to a bug. The answer for those is a retryable 503 (`SERVICE_UNAVAILABLE`), not a masked
 * 500: the client may try again, and nothing about its request was decided.
 *
 * Classified by walking the error and its causes: drivers wrap each other (knex wraps pg, MikroORM
 * wraps knex), and none of them exports one error class for "connection trouble".
 */
export const SERVICE_UNAVAILABLE = 'SERVICE_UNAVAILABLE' as const;
export const SERVICE_UNAVAILABLE_MESSAGE = 'Service temporarily unavailable';

/** Thrown by our own deadlines (readiness probes, pool waits we bound ourselves). */
export class DependencyUnavailableError extends Error {
  constructor(
    readonly dependency: string,
    message = `${dependency} did not answer in time`,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'DependencyUnavailableError';
  }
}

// Socket-level codes (node, pg, node-redis) and SQLSTATE classes that mean "not reachable right now".
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ECONNABORTED',
]);
const SQLSTATE_UNAVAILABLE = [
  /^08/, // connection exception
  /^57P0[1-4]$/, // admin/crash shutdown, cannot connect now, database dropped
  /^57014$/, // query_canceled: our statement_timeout fired
  /^53300$/, // too many connections
];
const MESSAGES = [
  /^The client is offline$/, // node-redis while reconnecting (offline queue off)
  /^The client is closed$/, // node-redis after close/destroy
  /^Socket closed unexpectedly$/, // node-redis: in-flight commands of a dropped connection
  /^Connection timeout$/, // node-redis connectTimeout
  /^Query read timeout$/, // pg query_timeout
  /^Connection terminated/, // pg
  /timeout exceeded when trying to connect/, // pg connectionTimeoutMillis
  /Timeout acquiring a connection/, // knex/tarn pool acquisition
  /is not queryable$/, // pg: a client whose connection failed or was closed under it
  // knex: a later statement of a transaction that a timed-out statement already ended (rolled back).
  /^Transaction query already complete/,
  /statement timeout/, // PostgreSQL's own message
  /terminating connection/, // PostgreSQL shutdown
];

function* chain(error: unknown): Generator<Record<string, unknown>> {
  const seen = new Set<unknown>();
  let current: unknown = error;
  while (current && typeof current === 'object' && !seen.has(current)) {
    seen.add(current);
    yield current as Record<string, unknown>;
    const next = current as { cause?: unknown; originalError?: unknown; previous?: unknown };
    current = next.cause ?? next.originalError ?? next.previous;
  }
}

export function isDependencyUnavailable(error: unknown): boolean {
  for (const link of chain(error)) {
    if (link instanceof DependencyUnavailableError) return true;
    if (link.name === 'KnexTimeoutError') return true;
    if (link.name === 'ConnectionException') return true; // MikroORM's wrapper for connection loss
    const code = typeof link.code === 'string' ? link.code : undefined;
    if (code && NETWORK_CODES.has(code)) return true;
    if (code && SQLSTATE_UNAVAILABLE.some((pattern) => pattern.test(code))) return true;
    const message = typeof link.message === 'string' ? link.message : '';
    // knex and MikroORM prefix the driver's message with the statement: `<sql> - <reason>`.
    const reason = message.includes(' - ') ? message.slice(message.lastIndexOf(' - ') + 3) : message;
    if (MESSAGES.some((pattern) => pattern.test(message) || pattern.test(reason))) return true;
  }
  return false;
}

/** Rejects with `DependencyUnavailableError` when `work` has not settled within `ms`. */
export async function withDeadline<T>(dependency: string, ms: number, work: () => Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new DependencyUnavailableError(dependency)), ms);
  });
  try {
    return await Promise.race([work(), deadline]);
  } finally {
    clearTimeout(timer);
  }
}
