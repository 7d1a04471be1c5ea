import { availableParallelism } from 'node:os';
import { z } from 'zod';
import type { PrivateKeyInput } from './modules/auth/signing-keys.js';

export type { PrivateKeyInput };

import { type LimitsConfig, limitsEnvShape, limitsFromEnv } from './limits-config.js';

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
  // Bounded waits on dependencies: past these a request answers a retryable 503 instead of hanging.
  DB_CONNECT_TIMEOUT_MS: positiveInt(100, 60_000).default(2_000),
  DB_ACQUIRE_TIMEOUT_MS: positiveInt(100, 60_000).default(2_000),
  DB_STATEMENT_TIMEOUT_MS: positiveInt(100, 600_000).default(3_000),
  REDIS_CONNECT_TIMEOUT_MS: positiveInt(100, 60_000).default(2_000),
  REDIS_COMMAND_TIMEOUT_MS: positiveInt(50, 60_000).default(1_000),
  READINESS_TIMEOUT_MS: positiveInt(50, 10_000).default(800),
  SMTP_URL: url(['smtp:', 'smtps:']).optional(),
  MAIL_FROM: z.string().min(3).default('Auth Starter <no-reply@localhost>'),
  PUBLIC_APP_URL: url(['http:', 'https:']).default('http://localhost:5173'),
  SITE_NAME: z.string().min(1).default('Auth Starter'),
  // Account lifecycle: mail delivery, email token lifetimes, login and deletion rules.
  SMTP_TIMEOUT_MS: positiveInt(100, 120_000).default(10_000),
  MAIL_TEMPLATES_DIR: z.string().min(1).optional(),
  ACTIVATION_TOKEN_TTL_SECONDS: positiveInt(60, 31_536_000).default(604_800),
  PASSWORD_RESET_TOKEN_TTL_SECONDS: positiveInt(60, 2_592_000).default(3_600),
  PASSWORD_SET_TOKEN_TTL_SECONDS: positiveInt(60, 2_592_000).default(3_600),
  SECONDARY_EMAIL_TOKEN_TTL_SECONDS: positiveInt(60, 2_592_000).default(3_600),
  LOGIN_BY_SECONDARY_EMAIL: booleanFlag.default(true),
  PASSWORDLESS_REGISTRATION: booleanFlag.default(false),
  HARD_DELETE_ACCOUNTS: booleanFlag.default(false),
  JWT_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  JWT_PREVIOUS_SECRETS: z.string().optional(),
  JWT_ISSUER: z.string().min(1).optional(),
  JWT_AUDIENCE: z.string().min(1).optional(),
  JWT_LEEWAY_SECONDS: positiveInt(0, 300).default(0),
  ACCESS_TOKEN_TTL_SECONDS: positiveInt(10, 86_400).default(300),
  REFRESH_TOKEN_TTL_SECONDS: positiveInt(60, 31_536_000).default(604_800),
  // Tokens: rotation grace, access tokens bound to sessions, keys, cookie mode and its CSRF defences.
  REFRESH_TOKEN_GRACE_SECONDS: positiveInt(0, 300).default(10),
  // Unset: a rotated token answers its unused successor until that expires (lost answers).
  REFRESH_TOKEN_REPLAY_WINDOW_SECONDS: positiveInt(0, 31_536_000).optional(),
  ACCESS_TOKEN_SESSION_CHECK: booleanFlag.default(true),
  JWT_PRIVATE_KEYS: z.string().optional(),
  COOKIE_MODE: booleanFlag.default(false),
  COOKIE_ACCESS_NAME: z
    .string()
    .regex(/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/)
    .default('JWT'),
  COOKIE_REFRESH_NAME: z
    .string()
    .regex(/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/)
    .default('JWT-refresh-token'),
  COOKIE_CSRF_NAME: z
    .string()
    .regex(/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/)
    .default('csrftoken'),
  COOKIE_DOMAIN: z.string().min(1).optional(),
  COOKIE_PATH: z.string().startsWith('/').default('/'),
  COOKIE_SAME_SITE: z.enum(['lax', 'strict', 'none']).default('lax'),
  COOKIE_SECURE: booleanFlag.optional(),
  CSRF_TRUSTED_ORIGINS: z.string().optional(),
  BCRYPT_COST: positiveInt(4, 15).default(12),
  // Failed sign-ins wait at least this long (0 = the process's own bcrypt time only).
  PASSWORD_FAILURE_FLOOR_MS: positiveInt(0, 10_000).default(0),
  // Password hashing: how many at once per process, how many may wait, and for how long.
  PASSWORD_HASH_CONCURRENCY: positiveInt(1, 64).optional(),
  PASSWORD_HASH_QUEUE: positiveInt(0, 10_000).optional(),
  PASSWORD_HASH_MAX_WAIT_MS: positiveInt(0, 60_000).default(1_000),
  // The nice value of the threads hashes run on (Linux): serving requests comes first. 0: as the rest.
  PASSWORD_HASH_NICE: positiveInt(0, 19).default(10),
  // Worker processes (node:cluster); default: one per core in production, 1 otherwise.
  WEB_CONCURRENCY: positiveInt(1, 256).optional(),
  ALLOW_UNVERIFIED_LOGIN: booleanFlag.default(true),
  GRAPHIQL: booleanFlag.optional(),
  DATA_DIR: z.string().min(1).default('.data'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).optional(),
  MAX_PAGE_SIZE: positiveInt(1, 1000).default(100),
  // Operating it: /metrics on a private port or behind a token, traces by OTLP when a collector is set.
  METRICS_PORT: positiveInt(0, 65535).optional(),
  METRICS_HOST: z.string().min(1).default('127.0.0.1'),
  METRICS_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
  /** Distinct operation names labelled per process; later ones are counted as `other`. */
  METRICS_OPERATION_NAMES: positiveInt(0, 1_000).default(100),
  OTEL_EXPORTER_OTLP_ENDPOINT: url(['http:', 'https:']).optional(),
  OTEL_SERVICE_NAME: z.string().min(1).default('gql-auth-api'),
  // `pnpm cli audit:prune` deletes audit entries older than this; 0 keeps them forever.
  AUDIT_RETENTION_DAYS: positiveInt(0, 36_500).default(0),
  // Security notices by email, each on by default.
  NOTIFY_PASSWORD_CHANGED: booleanFlag.default(true),
  NOTIFY_EMAIL_CHANGED: booleanFlag.default(true),
  NOTIFY_NEW_DEVICE: booleanFlag.default(true),
  NOTIFY_REFRESH_REUSE: booleanFlag.default(true),
  // `pnpm cli createsuperuser` fallbacks for scripted deploys (flags win over these).
  SUPERUSER_USERNAME: z.string().optional(),
  SUPERUSER_EMAIL: z.string().optional(),
  SUPERUSER_PASSWORD: z.string().optional(),
  // Abuse limits: query cost, rate limits, slow clients (see limits-config.ts).
  ...limitsEnvShape,
});

export interface Config {
  env: 'development' | 'production' | 'test';
  http: { port: number; host: string; graphiql: boolean };
  /** null: run the embedded PostgreSQL (PGlite) under `dataDir`. */
  databaseUrl: string | null;
  dbPoolSize: number;
  /** null: keep refresh tokens in the SQL database. */
  redis: { url: string; keyPrefix: string } | null;
  /** Bounds on every wait for PostgreSQL and Redis, in milliseconds (see modules' `dependencies/`). */
  timeouts: DependencyTimeouts;
  mail: {
    /** null: the development outbox (console + `.eml` files under `<dataDir>/mail/`). */
    smtpUrl: string | null;
    from: string;
    publicAppUrl: string;
    siteName: string;
    smtpTimeoutMs: number;
    /** Files here replace the built-in templates (see modules/mail/mail-templates.ts). */
    templatesDir: string | null;
  };
  jwt: {
    /** null: a secret generated once into `dataDir` (development only). */
    secret: string | null;
    issuer: string | undefined;
    audience: string | undefined;
    leewaySeconds: number;
    accessTokenTtlSeconds: number;
    refreshTokenTtlSeconds: number;
    /** How long a rotated refresh token still answers with its successor (retries, parallel tabs). */
    refreshGraceSeconds: number;
    /**
     * How long a rotated refresh token answers its successor again while that is unused (a lost
     * answer); past it, or once the successor rotated, presenting it is reuse. Default: the TTL.
     */
    refreshReplayWindowSeconds: number;
    /** ES256/EdDSA private keys (PEM or JWK), newest first; empty: HS256 with the secret. */
    privateKeys: readonly PrivateKeyInput[];
    /** Access tokens of a revoked session stop working at once (one token-store lookup per request). */
    sessionCheck: boolean;
    /** Rotated-out HS256 secrets: they still verify (never sign) until their tokens have expired. */
    previousSecrets: readonly string[];
  };
  /** Cookie mode for browser apps: httpOnly token cookies plus CSRF defences. */
  cookies: CookieSettings;
  auth: {
    bcryptCost: number;
    allowUnverifiedLogin: boolean;
    /** Hashes at once in this process; more wait (at most `hashQueueSize`, `hashMaxWaitMs`), then SERVICE_BUSY. */
    hashConcurrency: number;
    hashQueueSize: number;
    hashMaxWaitMs: number;
    /** Nice value of the helper threads (libuv's pool, where bcrypt runs): see thread-priority.ts. */
    hashThreadNice: number;
    passwordFailureFloorMs: number;
  };
  /** Worker processes serving HTTP (1: no cluster, the process serves itself). */
  workers: number;
  /** Account lifecycle rules. */
  account: {
    loginBySecondaryEmail: boolean;
    /** register accepts no password and mails a password-set link instead of the activation link. */
    passwordlessRegistration: boolean;
    /** deleteAccount removes the row instead of deactivating it. */
    hardDelete: boolean;
    /** Email token lifetimes, in seconds. */
    tokenTtlSeconds: {
      activation: number;
      passwordReset: number;
      passwordSet: number;
      secondaryEmail: number;
    };
  };
  dataDir: string;
  logLevel: string;
  maxPageSize: number;
  /** Query cost, rate limits and HTTP server limits. */
  limits: LimitsConfig;
  observability: {
    /** `/metrics` on a listener of its own (null: none); `token`: also on the public port behind it. */
    metrics: {
      port: number | null;
      host: string;
      token: string | null;
      /** How many distinct operation names get a series of their own (then `other`). */
      operationNames: number;
    };
    /** OTLP/HTTP collector base URL; null: tracing off (no span is created). */
    tracing: { otlpEndpoint: string | null; serviceName: string };
  };
  /** Which security notices are mailed. */
  notices: { passwordChanged: boolean; emailChanged: boolean; newDevice: boolean; refreshReuse: boolean };
  /** Days `pnpm cli audit:prune` keeps audit entries; 0: forever (the command then needs --days). */
  auditRetentionDays: number;
  /** Defaults for `pnpm cli createsuperuser --no-input`; unset unless the environment gives them. */
  superuser: { username?: string; email?: string; password?: string };
}

export interface DependencyTimeouts {
  /** Opening a PostgreSQL connection. */
  dbConnectMs: number;
  /** Waiting for a free pooled connection. */
  dbAcquireMs: number;
  /** One statement: PostgreSQL's statement_timeout, and a client-side read timeout a little later. */
  dbStatementMs: number;
  redisConnectMs: number;
  /** One Redis command (a Lua script counts as one). */
  redisCommandMs: number;
  /** Each /readyz probe; below 1 s so that the endpoint answers within a second. */
  readinessMs: number;
}

export interface CookieSettings {
  enabled: boolean;
  accessName: string;
  refreshName: string;
  /** Readable by scripts on purpose: the double-submit CSRF token echoed in `x-csrf-token`. */
  csrfName: string;
  domain: string | undefined;
  path: string;
  sameSite: 'lax' | 'strict' | 'none';
  secure: boolean;
  /** Origins allowed to send cookie-authenticated mutations (besides the API's own origin). */
  trustedOrigins: readonly string[];
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
  const privateKeys = parsePrivateKeys(env.JWT_PRIVATE_KEYS, problems);
  const previousSecrets = parsePreviousSecrets(env.JWT_PREVIOUS_SECRETS, privateKeys.length > 0, problems);
  const cookieSecure = env.COOKIE_SECURE ?? env.NODE_ENV === 'production';
  if (env.COOKIE_SAME_SITE === 'none' && !cookieSecure) {
    problems.push('COOKIE_SAME_SITE: "none" needs COOKIE_SECURE=true (browsers drop it otherwise)');
  }
  const trustedOrigins = parseOrigins(env.CSRF_TRUSTED_ORIGINS, problems) ?? [
    new URL(env.PUBLIC_APP_URL).origin,
  ];
  const limits = limitsFromEnv(env, problems);
  const embedded = env.DATABASE_URL === undefined;
  // PGlite lives in one process: workers would each open (and fight over) the same data directory.
  if (embedded && (env.WEB_CONCURRENCY ?? 1) > 1) {
    problems.push(
      'WEB_CONCURRENCY: more than 1 worker needs DATABASE_URL (the embedded database is one process)',
    );
  }
  if (problems.length > 0) throw new ConfigError(problems);

  const cores = availableParallelism();
  const workers = env.WEB_CONCURRENCY ?? (env.NODE_ENV === 'production' && !embedded ? cores : 1);
  // The cores are shared by the workers: together they hash on every core, not more.
  const hashConcurrency = env.PASSWORD_HASH_CONCURRENCY ?? Math.max(1, Math.floor(cores / workers));
  return {
    env: env.NODE_ENV,
    http: { port: env.PORT, host: env.HOST, graphiql: env.GRAPHIQL ?? env.NODE_ENV === 'development' },
    databaseUrl: env.DATABASE_URL ?? null,
    // PGlite serves one query at a time and a second connection inside a transaction hangs: pool of 1.
    dbPoolSize: embedded ? 1 : (env.DB_POOL_SIZE ?? 10),
    redis: env.REDIS_URL ? { url: env.REDIS_URL, keyPrefix: env.REDIS_KEY_PREFIX } : null,
    timeouts: {
      dbConnectMs: env.DB_CONNECT_TIMEOUT_MS,
      dbAcquireMs: env.DB_ACQUIRE_TIMEOUT_MS,
      dbStatementMs: env.DB_STATEMENT_TIMEOUT_MS,
      redisConnectMs: env.REDIS_CONNECT_TIMEOUT_MS,
      redisCommandMs: env.REDIS_COMMAND_TIMEOUT_MS,
      readinessMs: env.READINESS_TIMEOUT_MS,
    },
    mail: {
      smtpUrl: env.SMTP_URL ?? null,
      from: env.MAIL_FROM,
      publicAppUrl: env.PUBLIC_APP_URL.replace(/\/+$/, ''),
      siteName: env.SITE_NAME,
      smtpTimeoutMs: env.SMTP_TIMEOUT_MS,
      templatesDir: env.MAIL_TEMPLATES_DIR ?? null,
    },
    jwt: {
      secret: env.JWT_SECRET ?? null,
      issuer: env.JWT_ISSUER,
      audience: env.JWT_AUDIENCE,
      leewaySeconds: env.JWT_LEEWAY_SECONDS,
      accessTokenTtlSeconds: env.ACCESS_TOKEN_TTL_SECONDS,
      refreshTokenTtlSeconds: env.REFRESH_TOKEN_TTL_SECONDS,
      refreshGraceSeconds: env.REFRESH_TOKEN_GRACE_SECONDS,
      refreshReplayWindowSeconds: env.REFRESH_TOKEN_REPLAY_WINDOW_SECONDS ?? env.REFRESH_TOKEN_TTL_SECONDS,
      privateKeys,
      previousSecrets,
      sessionCheck: env.ACCESS_TOKEN_SESSION_CHECK,
    },
    cookies: {
      enabled: env.COOKIE_MODE,
      accessName: env.COOKIE_ACCESS_NAME,
      refreshName: env.COOKIE_REFRESH_NAME,
      csrfName: env.COOKIE_CSRF_NAME,
      domain: env.COOKIE_DOMAIN,
      path: env.COOKIE_PATH,
      sameSite: env.COOKIE_SAME_SITE,
      secure: cookieSecure,
      trustedOrigins,
    },
    auth: {
      bcryptCost: env.BCRYPT_COST,
      allowUnverifiedLogin: env.ALLOW_UNVERIFIED_LOGIN,
      passwordFailureFloorMs: env.PASSWORD_FAILURE_FLOOR_MS,
      hashConcurrency,
      hashQueueSize: env.PASSWORD_HASH_QUEUE ?? 4 * hashConcurrency,
      hashMaxWaitMs: env.PASSWORD_HASH_MAX_WAIT_MS,
      hashThreadNice: env.PASSWORD_HASH_NICE,
    },
    workers,
    account: {
      loginBySecondaryEmail: env.LOGIN_BY_SECONDARY_EMAIL,
      passwordlessRegistration: env.PASSWORDLESS_REGISTRATION,
      hardDelete: env.HARD_DELETE_ACCOUNTS,
      tokenTtlSeconds: {
        activation: env.ACTIVATION_TOKEN_TTL_SECONDS,
        passwordReset: env.PASSWORD_RESET_TOKEN_TTL_SECONDS,
        passwordSet: env.PASSWORD_SET_TOKEN_TTL_SECONDS,
        secondaryEmail: env.SECONDARY_EMAIL_TOKEN_TTL_SECONDS,
      },
    },
    dataDir: env.DATA_DIR,
    logLevel: env.LOG_LEVEL ?? (env.NODE_ENV === 'test' ? 'silent' : 'info'),
    maxPageSize: env.MAX_PAGE_SIZE,
    limits,
    auditRetentionDays: env.AUDIT_RETENTION_DAYS,
    notices: {
      passwordChanged: env.NOTIFY_PASSWORD_CHANGED,
      emailChanged: env.NOTIFY_EMAIL_CHANGED,
      newDevice: env.NOTIFY_NEW_DEVICE,
      refreshReuse: env.NOTIFY_REFRESH_REUSE,
    },
    observability: {
      metrics: {
        port: env.METRICS_PORT ?? null,
        host: env.METRICS_HOST,
        token: env.METRICS_TOKEN ?? null,
        operationNames: env.METRICS_OPERATION_NAMES,
      },
      tracing: { otlpEndpoint: env.OTEL_EXPORTER_OTLP_ENDPOINT ?? null, serviceName: env.OTEL_SERVICE_NAME },
    },
    superuser: {
      username: env.SUPERUSER_USERNAME,
      email: env.SUPERUSER_EMAIL,
      password: env.SUPERUSER_PASSWORD,
    },
  };
}

/** JWT_PRIVATE_KEYS: a JSON list of PEM strings or JWK objects, newest first. Never echoes keys. */
function parsePrivateKeys(raw: string | undefined, problems: string[]): PrivateKeyInput[] {
  if (raw === undefined) return [];
  let list: unknown;
  try {
    list = JSON.parse(raw);
  } catch {
    problems.push('JWT_PRIVATE_KEYS: must be a JSON list of PEM strings or JWK objects');
    return [];
  }
  if (!Array.isArray(list) || list.length === 0) {
    problems.push('JWT_PRIVATE_KEYS: must be a non-empty JSON list');
    return [];
  }
  const keys: PrivateKeyInput[] = [];
  list.forEach((entry, index) => {
    if (typeof entry === 'string' || (typeof entry === 'object' && entry !== null && !Array.isArray(entry))) {
      keys.push(entry as PrivateKeyInput);
    } else problems.push(`JWT_PRIVATE_KEYS[${index}]: must be a PEM string or a JWK object`);
  });
  return keys;
}

/**
 * JWT_PREVIOUS_SECRETS: comma-separated HS256 secrets that were JWT_SECRET before, newest first.
 * Problems name positions, never the secrets.
 */
function parsePreviousSecrets(raw: string | undefined, asymmetric: boolean, problems: string[]): string[] {
  if (raw === undefined || raw.trim() === '') return [];
  if (asymmetric) {
    problems.push(
      'JWT_PREVIOUS_SECRETS: HS256 only; with JWT_PRIVATE_KEYS keep the previous keys in that list',
    );
    return [];
  }
  const secrets = raw.split(',').map((item) => item.trim());
  secrets.forEach((secret, index) => {
    if (secret.length < 32) problems.push(`JWT_PREVIOUS_SECRETS[${index}]: must be at least 32 characters`);
  });
  return secrets;
}

/** CSRF_TRUSTED_ORIGINS: comma-separated origins such as `https://app.example.com`. */
function parseOrigins(raw: string | undefined, problems: string[]): string[] | undefined {
  if (raw === undefined) return undefined;
  const origins: string[] = [];
  for (const entry of raw
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean)) {
    try {
      const origin = new URL(entry).origin;
      if (origin === 'null') throw new Error('opaque');
      origins.push(origin);
    } catch {
      problems.push(`CSRF_TRUSTED_ORIGINS: "${entry}" is not an origin like https://app.example.com`);
    }
  }
  return origins;
}
