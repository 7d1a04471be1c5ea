import { type Logger, pino, stdSerializers } from 'pino';

export type { Logger };

/** Longest message and stack an error log line carries: a loop of bad requests cannot fill disks. */
const MAX_ERROR_MESSAGE = 500;
const MAX_ERROR_STACK = 2_000;
const cut = (text: unknown, max: number) =>
  typeof text === 'string' && text.length > max ? `${text.slice(0, max)}… [${text.length - max} more]` : text;

/** pino's error serializer, bounded, and without extra properties (driver errors carry SQL and values). */
export function boundedError(error: unknown) {
  if (!(error instanceof Error)) return { message: cut(String(error), MAX_ERROR_MESSAGE) };
  const serialized = stdSerializers.err(error);
  return {
    type: serialized.type,
    message: cut(serialized.message, MAX_ERROR_MESSAGE),
    code: (error as { code?: unknown }).code,
    stack: cut(serialized.stack, MAX_ERROR_STACK),
  };
}

/**
 * Structured JSON logs. Headers that carry credentials are redacted wherever they appear, so a
 * logged request can never leak a token.
 */
export function createLogger(level: string): Logger {
  return pino({
    level,
    base: undefined,
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
  });
}
