import { z } from 'zod';

/**
 * The environment variables of the abuse limits (query cost, rate limits, slow clients), kept out of
 * config.ts so that file stays a table of the app's features. Every limit has a production default
 * and can be changed; `.env.example` lists them all.
 */

const int = (min: number, max: number) => z.coerce.number().int().min(min).max(max);

const flag = z
  .enum(['true', 'false', '1', '0', 'yes', 'no', 'on', 'off'])
  .transform((value) => ['true', '1', 'yes', 'on'].includes(value));

/** `points/seconds`, e.g. `5/3600`: at most 5 in any hour-long window. */
export interface RateLimitRule {
  points: number;
  durationSeconds: number;
}

const rule = z
  .string()
  .regex(/^\d{1,9}\/\d{1,9}$/, 'must look like 10/900 (at most 10 per 900 seconds)')
  .transform((value): RateLimitRule => {
    const [points, seconds] = value.split('/').map(Number) as [number, number];
    return { points, durationSeconds: seconds };
  })
  .refine((value) => value.points >= 1 && value.durationSeconds >= 1, 'both numbers must be at least 1');

/** Express's `trust proxy`: off, a hop count, or comma-separated addresses/subnets/names. */
const trustProxy = z.string().transform((value): boolean | number | string[] => {
  if (['false', 'off', 'no', '0'].includes(value)) return false;
  if (['true', 'on', 'yes'].includes(value)) return true;
  if (/^\d+$/.test(value)) return Number(value);
  return value
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean);
});

export const limitsEnvShape = {
  // Query cost: checked while validating, before any resolver runs.
  GRAPHQL_MAX_TOKENS: int(50, 100_000).default(2_000),
  GRAPHQL_MAX_DEPTH: int(2, 100).default(10),
  GRAPHQL_MAX_ALIASES: int(0, 1_000).default(15),
  GRAPHQL_MAX_ROOT_FIELDS: int(1, 1_000).default(10),
  GRAPHQL_MAX_DIRECTIVES: int(0, 1_000).default(10),
  GRAPHQL_MAX_COST: int(10, 10_000_000).default(10_000),
  GRAPHQL_INTROSPECTION: flag.optional(),
  // Rate limits, shared by every API process through Redis (in memory in embedded mode).
  RATE_LIMITS: flag.default(true),
  RATE_LIMIT_SIGN_IN_ACCOUNT_IP: rule.prefault('10/900'),
  RATE_LIMIT_SIGN_IN_FREE_ATTEMPTS: int(0, 1_000).default(3),
  RATE_LIMIT_SIGN_IN_DELAY_MS: int(0, 60_000).default(250),
  RATE_LIMIT_SIGN_IN_MAX_DELAY_MS: int(0, 60_000).default(4_000),
  RATE_LIMIT_SIGN_IN_IP: rule.prefault('100/3600'),
  RATE_LIMIT_MAIL_ADDRESS: rule.prefault('5/3600'),
  RATE_LIMIT_MAIL_IP: rule.prefault('30/3600'),
  RATE_LIMIT_REGISTER_IP: rule.prefault('20/3600'),
  RATE_LIMIT_REFRESH_IP: rule.prefault('300/60'),
  RATE_LIMIT_VERIFY_TOKEN_IP: rule.prefault('300/60'),
  RATE_LIMIT_REQUESTS_IP: rule.prefault('1200/60'),
  RATE_LIMIT_IPV6_PREFIX: int(16, 128).default(64),
  TRUST_PROXY: trustProxy.prefault('loopback'),
  // Slow clients: Node's HTTP server limits.
  HTTP_HEADERS_TIMEOUT_MS: int(100, 600_000).default(10_000),
  HTTP_REQUEST_TIMEOUT_MS: int(100, 600_000).default(30_000),
  HTTP_BODY_TIMEOUT_MS: int(100, 600_000).default(10_000),
  HTTP_KEEP_ALIVE_TIMEOUT_MS: int(100, 600_000).default(5_000),
  HTTP_MAX_REQUESTS_PER_SOCKET: int(0, 1_000_000).default(1_000),
  HTTP_MAX_CONNECTIONS_PER_IP: int(1, 100_000).default(64),
};

type LimitsEnv = z.output<z.ZodObject<typeof limitsEnvShape>>;

export interface QueryLimits {
  maxTokens: number;
  maxDepth: number;
  maxAliases: number;
  maxRootFields: number;
  maxDirectives: number;
  /** GraphQL Armor's cost: objects 2, scalars 1, ×1.5 per level, × literal `first`/`last`. */
  maxCost: number;
  /** `__schema`/`__type` allowed (off in production unless GRAPHQL_INTROSPECTION=true). */
  introspection: boolean;
}

export interface RateLimitSettings {
  enabled: boolean;
  /** Sign-in attempts per account and client address since the last success. */
  signInAccountIp: RateLimitRule;
  /** Attempts per account and address answered at once; each later one waits longer (doubling). */
  signInFreeAttempts: number;
  signInDelayMs: number;
  signInMaxDelayMs: number;
  /** Failed sign-ins per client address, whatever the account. */
  signInIp: RateLimitRule;
  mailAddress: RateLimitRule;
  mailIp: RateLimitRule;
  registerIp: RateLimitRule;
  refreshIp: RateLimitRule;
  verifyTokenIp: RateLimitRule;
  /** Every /graphql request of one client address. */
  requestsIp: RateLimitRule;
  /** IPv6 clients are counted by this prefix (a home or a host usually holds a whole /64). */
  ipv6Prefix: number;
}

export interface ServerLimits {
  trustProxy: boolean | number | string | string[];
  headersTimeoutMs: number;
  requestTimeoutMs: number;
  bodyTimeoutMs: number;
  keepAliveTimeoutMs: number;
  maxRequestsPerSocket: number;
  maxConnectionsPerIp: number;
}

export interface LimitsConfig {
  query: QueryLimits;
  rate: RateLimitSettings;
  server: ServerLimits;
}

export function limitsFromEnv(env: LimitsEnv & { NODE_ENV: string }, problems: string[]): LimitsConfig {
  if (env.HTTP_HEADERS_TIMEOUT_MS > env.HTTP_REQUEST_TIMEOUT_MS) {
    problems.push('HTTP_HEADERS_TIMEOUT_MS: must not exceed HTTP_REQUEST_TIMEOUT_MS');
  }
  if (env.RATE_LIMIT_SIGN_IN_DELAY_MS > env.RATE_LIMIT_SIGN_IN_MAX_DELAY_MS) {
    problems.push('RATE_LIMIT_SIGN_IN_DELAY_MS: must not exceed RATE_LIMIT_SIGN_IN_MAX_DELAY_MS');
  }
  return {
    query: {
      maxTokens: env.GRAPHQL_MAX_TOKENS,
      maxDepth: env.GRAPHQL_MAX_DEPTH,
      maxAliases: env.GRAPHQL_MAX_ALIASES,
      maxRootFields: env.GRAPHQL_MAX_ROOT_FIELDS,
      maxDirectives: env.GRAPHQL_MAX_DIRECTIVES,
      maxCost: env.GRAPHQL_MAX_COST,
      introspection: env.GRAPHQL_INTROSPECTION ?? env.NODE_ENV !== 'production',
    },
    rate: {
      enabled: env.RATE_LIMITS,
      signInAccountIp: env.RATE_LIMIT_SIGN_IN_ACCOUNT_IP,
      signInFreeAttempts: env.RATE_LIMIT_SIGN_IN_FREE_ATTEMPTS,
      signInDelayMs: env.RATE_LIMIT_SIGN_IN_DELAY_MS,
      signInMaxDelayMs: env.RATE_LIMIT_SIGN_IN_MAX_DELAY_MS,
      signInIp: env.RATE_LIMIT_SIGN_IN_IP,
      mailAddress: env.RATE_LIMIT_MAIL_ADDRESS,
      mailIp: env.RATE_LIMIT_MAIL_IP,
      registerIp: env.RATE_LIMIT_REGISTER_IP,
      refreshIp: env.RATE_LIMIT_REFRESH_IP,
      verifyTokenIp: env.RATE_LIMIT_VERIFY_TOKEN_IP,
      requestsIp: env.RATE_LIMIT_REQUESTS_IP,
      ipv6Prefix: env.RATE_LIMIT_IPV6_PREFIX,
    },
    server: {
      trustProxy: env.TRUST_PROXY,
      headersTimeoutMs: env.HTTP_HEADERS_TIMEOUT_MS,
      requestTimeoutMs: env.HTTP_REQUEST_TIMEOUT_MS,
      bodyTimeoutMs: env.HTTP_BODY_TIMEOUT_MS,
      keepAliveTimeoutMs: env.HTTP_KEEP_ALIVE_TIMEOUT_MS,
      maxRequestsPerSocket: env.HTTP_MAX_REQUESTS_PER_SOCKET,
      maxConnectionsPerIp: env.HTTP_MAX_CONNECTIONS_PER_IP,
    },
  };
}
