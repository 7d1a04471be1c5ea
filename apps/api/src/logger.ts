import { type DestinationStream, type Logger, type LoggerOptions, pino } from 'pino';
import { describeError } from './dependencies/safe-error.js';

export type { Logger };

/**
 * Structured JSON logs. Headers that carry credentials are redacted wherever they appear, so a
 * logged request can never leak a token; `err` is logged as name, code and a message stripped of
 * SQL and quoted values, so a failed statement never leaks an email or a password hash.
 */
export function createLogger(level: string, destination?: DestinationStream): Logger {
  const options: LoggerOptions = {
    level,
    base: undefined,
    // Errors are logged without the values of failed statements (see describeError).
    serializers: { err: (error: unknown) => (error instanceof Error ? describeError(error) : error) },
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
