/**
 * An error as it may be logged: name, code and a message without the values of the statement that
 * failed. Drivers put the SQL with inlined parameters in their messages (MikroORM/knex:
 * `insert into "user" (...) values ('alice@example.com', '$2b$12$...') - duplicate key ...`), and
 * PostgreSQL's `detail` repeats the offending key values, so none of that may reach a log line.
 */
export interface SafeError {
  name: string;
  message: string;
  code?: string;
  /** PostgreSQL's error class and constraint/table names: structure, never values. */
  constraint?: string;
  table?: string;
  stack?: string;
  cause?: SafeError;
}

const MAX_DEPTH = 4;

const SQL_START =
  /^\s*(select|insert|update|delete|with|create|alter|drop|begin|commit|set|truncate|call)\b/i;

/**
 * A driver message without values. MikroORM/knex put the statement (values inlined) first, then
 * ` - ` and the reason, then ` - detail: Key (email)=(…)`; values may themselves contain ` - `, so
 * no split point is trustworthy: the whole message is replaced, and what identifies the failure
 * (SQLSTATE, constraint, table) is logged from the error's structured fields instead.
 */
export function stripStatement(message: string): string {
  if (SQL_START.test(message)) return '[statement omitted]';
  // Literals anywhere else (e.g. `Key (email)=(x@y)`, `'value'`): keep the shape, drop the value.
  return message.replace(/=\([^)]*\)/g, '=(…)').replace(/'[^']*'/g, "'…'");
}

export function describeError(error: unknown, depth = 0): SafeError {
  if (!(error instanceof Error)) return { name: 'NonError', message: typeof error };
  const raw = error as Error & Record<string, unknown>;
  const message = stripStatement(raw.message);
  const out: SafeError = { name: raw.name, message };
  if (typeof raw.code === 'string') out.code = raw.code;
  else if (typeof raw.sqlState === 'string') out.code = raw.sqlState;
  if (typeof raw.constraint === 'string') out.constraint = raw.constraint;
  if (typeof raw.table === 'string') out.table = raw.table;
  if (typeof raw.stack === 'string') {
    // The stack's head repeats the (unsafe) message: rebuild it from the safe one, keep the frames.
    const frames = raw.stack.split('\n').filter((line) => /^\s+at /.test(line));
    out.stack = [`${raw.name}: ${message}`, ...frames].join('\n');
  }
  const cause = raw.cause ?? raw.previous;
  if (cause !== undefined && depth < MAX_DEPTH) out.cause = describeError(cause, depth + 1);
  return out;
}
