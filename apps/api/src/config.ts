import { z } from 'zod';

/** Where configuration comes from: `process.env` in main.ts, a plain object in tests. */
export type ConfigSource = Readonly<Record<string, string | undefined>>;

const booleanFlag = z
  .enum(['true', 'false', '1', '0', 'yes', 'no', 'on', 'off'])
  .transform((value) => ['true', '1', 'yes', 'on'].includes(value));

const positiveInt = (min: number, max: number) => z.coerce.number().int().min(min).max(max);

function hasProtocol(value: string, protocols: readonly string[]): boolean {
  try {
    return protocols.includes(new URL(value).protocol);
  } catch {
    return false; // z.url() reports the malformed value; refinements still run after it.
  }
}

const url = (protocols: readonly string[]) =>
  z.url().refine((value) => hasProtocol(value, protocols), { message: `must use ${protocols.join(' or ')}` });

/** Every environment variable the API reads, with its default. Names are part of the contract. */
const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  PORT: positiveInt(0, 65535).default(4000),
  HOST: z.string().min(1).default('127.0.0.1'),
  DATABASE_URL: url(['postgres:', 'postgresql:']).optional(),
  DB_POOL_SIZE: positiveInt(1, 100).optional(),
  REDIS_URL: url(['redis:', 'rediss:']).optional(),
  REDIS_KEY_PREFIX: z.string().default('auth:'),
  SMTP_URL: url(['smtp:', 'smtps:']).optional(),
  MAIL_FROM: z.string().min(3).default('Auth Starter <no-reply@localhost>'),
  PUBLIC_APP_URL: url(['http:', 'https:']).default('http://localhost:5173'),
  SITE_NAME: z.string().min(1).default('Auth Starter'),
  JWT_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  JWT_ISSUER: z.string().min(1).optional(),
  JWT_AUDIENCE: z.string().min(1).optional(),
  JWT_LEEWAY_SECONDS: positiveInt(0, 300).default(0),
  ACCESS_TOKEN_TTL_SECONDS: positiveInt(10, 86_400).default(300),
  REFRESH_TOKEN_TTL_SECONDS: positiveInt(60, 31_536_000).default(604_800),
  BCRYPT_COST: positiveInt(4, 15).default(12),
  ALLOW_UNVERIFIED_LOGIN: booleanFlag.default(true),
  GRAPHIQL: booleanFlag.optional(),
  DATA_DIR: z.string().min(1).default('.data'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).optional(),
  MAX_PAGE_SIZE: positiveInt(1, 1000).default(100),
});

export interface Config {
  env: 'development' | 'production' | 'test';
  http: { port: number; host: string; graphiql: boolean };
  /** null: run the embedded PostgreSQL (PGlite) under `dataDir`. */
  databaseUrl: string | null;
  dbPoolSize: number;
  /** null: keep refresh tokens in the SQL database. */
  redis: { url: string; keyPrefix: string } | null;
  mail: { smtpUrl: string | null; from: string; publicAppUrl: string; siteName: string };
  jwt: {
    /** null: a secret generated once into `dataDir` (development only). */
    secret: string | null;
    issuer: string | undefined;
    audience: string | undefined;
    leewaySeconds: number;
    accessTokenTtlSeconds: number;
    refreshTokenTtlSeconds: number;
  };
  auth: { bcryptCost: number; allowUnverifiedLogin: boolean };
  dataDir: string;
  logLevel: string;
  maxPageSize: number;
}

/** Thrown by loadConfig with every problem found, so a misconfigured deploy is fixed in one go. */
export class ConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`Invalid configuration:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Parses and validates the whole configuration at once. Never echoes secret values. */
export function loadConfig(source: ConfigSource): Config {
  // Empty strings count as unset, the way shells and .env files usually mean them.
  const cleaned = Object.fromEntries(
    Object.entries(source).filter(([, value]) => value !== undefined && value !== ''),
  );
  const parsed = envSchema.safeParse(cleaned);
  const problems: string[] = [];
  if (!parsed.success) {
    for (const issue of parsed.error.issues)
      problems.push(`${issue.path.join('.') || 'env'}: ${issue.message}`);
    throw new ConfigError(problems);
  }
  const env = parsed.data;
  if (env.NODE_ENV === 'production' && !env.JWT_SECRET) {
    problems.push('JWT_SECRET: required when NODE_ENV=production');
  }
  if (problems.length > 0) throw new ConfigError(problems);

  const embedded = env.DATABASE_URL === undefined;
  return {
    env: env.NODE_ENV,
    http: { port: env.PORT, host: env.HOST, graphiql: env.GRAPHIQL ?? env.NODE_ENV === 'development' },
    databaseUrl: env.DATABASE_URL ?? null,
    // PGlite serves one query at a time and a second connection inside a transaction hangs: pool of 1.
    dbPoolSize: embedded ? 1 : (env.DB_POOL_SIZE ?? 10),
    redis: env.REDIS_URL ? { url: env.REDIS_URL, keyPrefix: env.REDIS_KEY_PREFIX } : null,
    mail: {
      smtpUrl: env.SMTP_URL ?? null,
      from: env.MAIL_FROM,
      publicAppUrl: env.PUBLIC_APP_URL.replace(/\/+$/, ''),
      siteName: env.SITE_NAME,
    },
    jwt: {
      secret: env.JWT_SECRET ?? null,
      issuer: env.JWT_ISSUER,
      audience: env.JWT_AUDIENCE,
      leewaySeconds: env.JWT_LEEWAY_SECONDS,
      accessTokenTtlSeconds: env.ACCESS_TOKEN_TTL_SECONDS,
      refreshTokenTtlSeconds: env.REFRESH_TOKEN_TTL_SECONDS,
    },
    auth: { bcryptCost: env.BCRYPT_COST, allowUnverifiedLogin: env.ALLOW_UNVERIFIED_LOGIN },
    dataDir: env.DATA_DIR,
    logLevel: env.LOG_LEVEL ?? (env.NODE_ENV === 'test' ? 'silent' : 'info'),
    maxPageSize: env.MAX_PAGE_SIZE,
  };
}
