import { type DestinationStream, type Logger, type LoggerOptions, pino } from 'pino';
import { describeError } from './dependencies/safe-error.js';

export type { Logger };

/** Longest message and stack an error log line carries: a loop of bad requests cannot fill disks. */
const MAX_ERROR_MESSAGE = 500;
const MAX_ERROR_STACK = 2_000;
const cut = (text: unknown, max: number) =>
  typeof text === 'string' && text.length > max ? `${text.slice(0, max)}… [${text.length - max} more]` : text;

/**
 * The error serializer: name, code and a message stripped of statement values (`describeError`),
 * with message and stack bounded in size.
 */
export function boundedError(error: unknown) {
  if (!(error instanceof Error)) return { message: cut(String(error), MAX_ERROR_MESSAGE) };
  const safe = describeError(error);
  return { ...safe, message: cut(safe.message, MAX_ERROR_MESSAGE), stack: cut(safe.stack, MAX_ERROR_STACK) };
}

/**
 * Structured JSON logs. Headers that carry credentials are redacted wherever they appear, so a
 * logged request can never leak a token; `err` is logged as name, code and a message stripped of
 * SQL and quoted values, so a failed statement never leaks an email or a password hash.
 */
export function createLogger(level: string, destination?: DestinationStream): Logger {
  const options: LoggerOptions = {
    level,
    base: undefined,
    // Errors are logged without the values of failed statements (describeError), bounded in size.
    serializers: { err: boundedError },
    redact: {
      paths: [
        'req.headers.authorization',
        'req.headers.cookie',
        '*.password',
        '*.password1',
        '*.password2',
        '*.token',
        '*.refreshToken',
      ],
      censor: '[redacted]',
    },
  };
  return destination ? pino(options, destination) : pino(options);
}
