import { createHmac } from 'node:crypto';
import { join } from 'node:path';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Tracer } from '@opentelemetry/api';
import type { SpanProcessor } from '@opentelemetry/sdk-trace';
import type { RedisClientType } from 'redis';
import { auditAccountEvents } from './audit-wiring.js';
import type { Config } from './config.js';
import { type Database, openDatabase } from './db/database.js';
import type { EmbeddedPostgres } from './db/embedded-postgres.js';
import { createMikroOrmSqlClient } from './db/sql-client.js';
import { withDeadline } from './dependencies/unavailable.js';
import { createLogger, type Logger } from './logger.js';
import { type AccountService, createAccountService } from './modules/account/account.service.js';
import { createAccountMail } from './modules/account/account-mail.js';
import { createLatencyMimic } from './modules/account/latency-mimic.js';
import { type AdminService, createAdminService } from './modules/admin/admin.service.js';
import { type AuditLog, createAuditLog } from './modules/audit/audit.service.js';
import { type AccessTokens, createAccessTokens } from './modules/auth/access-tokens.js';
import { type AuthService, createAuthService } from './modules/auth/auth.service.js';
import { loadOrCreateJwtSecret } from './modules/auth/jwt-secret.js';
import { createPasswordHasher, type PasswordHasher } from './modules/auth/password-hasher.js';
import { createSqlPasswordUpgrades } from './modules/auth/password-upgrades.js';
import { createSigningKeys, type SigningKeys } from './modules/auth/signing-keys.js';
import { type Clock, systemClock } from './modules/base/clock.js';
import { type AppEventBus, createAppEventBus } from './modules/events/app-events.js';
import type { Mailer } from './modules/mail/mailer.js';
import { createMetrics, type Metrics } from './modules/metrics/metrics.js';
import { subscribeSecurityNotices } from './modules/notices/security-notices.js';
import { createPermissionService, type PermissionService } from './modules/permissions/permission.service.js';
import {
  type CounterStore,
  createMemoryCounterStore,
  createRedisCounterStore,
} from './modules/rate-limit/rate-limit-store.js';
import { createRateLimits, type RateLimits } from './modules/rate-limit/rate-limits.js';
import { createSessionsService, type SessionsService } from './modules/sessions/sessions.service.js';
import { createRedisTokenStore } from './modules/tokens/redis-token-store.js';
import { createRefreshTokens, type RefreshTokens } from './modules/tokens/refresh-tokens.js';
import { sessionBoundAccessTokens } from './modules/tokens/session-bound-access-tokens.js';
import { createSqlTokenStore } from './modules/tokens/sql-token-store.js';
import { createTokenService, type TokenService } from './modules/tokens/token.service.js';
import { createTokenPairIssuer } from './modules/tokens/token-pairs.js';
import type { TokenStore } from './modules/tokens/token-store.js';
import { createTracing } from './modules/tracing/tracing.js';
import { observePorts, observeRedis, observeRuntime } from './observability-wiring.js';

/** Everything a request needs, built once by the composition root. No module-level singletons. */
export interface Services {
  config: Config;
  logger: Logger;
  clock: Clock;
  db: Database;
  tokenStore: TokenStore;
  hasher: PasswordHasher;
  accessTokens: AccessTokens;
  refreshTokens: RefreshTokens;
  /** Key ring (JWKS), refresh/revoke, sessions. Reuse is the `refreshTokenReused` event. */
  signingKeys: SigningKeys;
  tokens: TokenService;
  sessions: SessionsService;
  auth: AuthService;
  /** Mail transport, typed account events (subscribe with `events.on`), account operations. */
  mailer: Mailer;
  events: AppEventBus;
  account: AccountService;
  /** Times one send's work without sending (see `LatencyMimic.calibrate`); the server runs it at start. */
  calibrateMail(): Promise<void>;
  /** Append-only audit log. */
  audit: AuditLog;
  permissions: PermissionService;
  admin: AdminService;
  /** Sign-in, mail, register, refresh and per-client request limits (Redis, or memory when embedded). */
  rateLimits: RateLimits;
  /** Prometheus metrics (served by `/metrics`) and the tracer (null: tracing off). */
  metrics: Metrics;
  tracer: Tracer | null;
  close(): Promise<void>;
}

/** Pieces tests may replace (a manual clock, a logger that captures lines). */
export interface ServiceOverrides {
  clock?: Clock;
  logger?: Logger;
  /** Apply pending migrations at start (default); a cluster's workers leave it to the primary. */
  migrate?: boolean;
  /** Where spans go instead of OTLP (tests: an in-memory exporter); turns tracing on. */
  spanProcessor?: SpanProcessor;
  /** The embedded database, already starting (main.ts starts it before loading the server). */
  embeddedPostgres?: Promise<EmbeddedPostgres>;
}

/** The one composition root: config in, wired services out. */
export async function createServices(config: Config, overrides: ServiceOverrides = {}): Promise<Services> {
  const logger = overrides.logger ?? createLogger(config.logLevel);
  const clock = overrides.clock ?? systemClock;
  const metrics = createMetrics();
  const tracing = await createTracing(config.observability.tracing, overrides.spanProcessor);
  const { tracer } = tracing;
  const db = await openDatabase({
    databaseUrl: config.databaseUrl,
    dataDir: config.dataDir,
    poolSize: config.dbPoolSize,
    logger,
    timeouts: {
      connectMs: config.timeouts.dbConnectMs,
      acquireMs: config.timeouts.dbAcquireMs,
      statementMs: config.timeouts.dbStatementMs,
    },
    migrate: overrides.migrate ?? true,
    embedded: overrides.embeddedPostgres,
  });
  const closers: Array<() => Promise<unknown>> = [() => db.close(), () => tracing.shutdown()];
  let redis: RedisClientType | null = null;
  try {
    let tokenStore: TokenStore;
    // Embedded mode is one process: its counters can live in memory. Otherwise every process shares Redis.
    let counterStore: CounterStore = createMemoryCounterStore();
    if (config.redis) {
      // Loaded only here: the embedded start (no Redis) skips node-redis, about 0.1 s and 20 MiB.
      const { connectRedis } = await import('./dependencies/redis-client.js');
      const client = await connectRedis(
        {
          url: config.redis.url,
          connectTimeoutMs: config.timeouts.redisConnectMs,
          commandTimeoutMs: config.timeouts.redisCommandMs,
        },
        logger,
      );
      redis = client;
      observeRedis(client, tracer);
      // close() waits for the replies still owed, which a blackholed Redis never sends.
      closers.unshift(() =>
        withDeadline('redis', config.timeouts.redisCommandMs, () => client.close()).catch(() =>
          client.destroy(),
        ),
      );
      tokenStore = createRedisTokenStore({ redis: client, keyPrefix: config.redis.keyPrefix, clock });
      counterStore = createRedisCounterStore(client, config.redis.keyPrefix);
    } else {
      // The SQL store shares the ORM's pool (of one connection in embedded mode).
      tokenStore = createSqlTokenStore({ sql: createMikroOrmSqlClient(db.orm.em.fork()) });
    }
    const secret = config.jwt.secret ?? (await loadOrCreateJwtSecret(config.dataDir));
    const signingKeys = await createSigningKeys({
      secret,
      privateKeys: config.jwt.privateKeys,
      previousSecrets: config.jwt.previousSecrets,
    });
    const signedAccessTokens = createAccessTokens(
      {
        keys: signingKeys,
        ttlSeconds: config.jwt.accessTokenTtlSeconds,
        leewaySeconds: config.jwt.leewaySeconds,
        issuer: config.jwt.issuer,
        audience: config.jwt.audience,
      },
      clock,
    );
    const accessTokens = config.jwt.sessionCheck
      ? sessionBoundAccessTokens(signedAccessTokens, tokenStore, clock)
      : signedAccessTokens;
    const observed = observePorts(metrics, tracer);
    const audit = observed.audit(createAuditLog({ clock, logger }));
    const hasher = observed.hasher(
      await createPasswordHasher({
        cost: config.auth.bcryptCost,
        logger,
        failureFloorMs: config.auth.passwordFailureFloorMs,
        // Rehashes of legacy (Django) hashes after a successful sign-in, on a fork of their own.
        upgrades: createSqlPasswordUpgrades({ em: () => db.orm.em.fork() as EntityManager, audit }),
        limits: {
          concurrency: config.auth.hashConcurrency,
          queueSize: config.auth.hashQueueSize,
          maxWaitMs: config.auth.hashMaxWaitMs,
        },
      }),
    );
    const events = createAppEventBus(logger);
    const refreshTokens = observed.refreshTokens(
      createRefreshTokens({
        store: tokenStore,
        clock,
        ttlSeconds: config.jwt.refreshTokenTtlSeconds,
        graceSeconds: config.jwt.refreshGraceSeconds,
        replayWindowSeconds: config.jwt.refreshReplayWindowSeconds,
        // A key of its own, derived from the secret: successors cannot be computed from outside.
        successorKey: createHmac('sha256', secret).update('refresh-token-successor/v1').digest(),
        events,
      }),
    );
    events.on('refreshTokenReused', ({ userId, revoked }) =>
      logger.warn({ userId, revoked }, 'refresh token reused after rotation: session revoked'),
    );
    const tokens = createTokenService({ refreshTokens, accessTokens, store: tokenStore, clock, logger });
    // A new session's first pair; auth and account are handed it (they sit below tokens).
    const issueTokenPair = createTokenPairIssuer({ refreshTokens, accessTokens });
    const sessions = createSessionsService({ store: tokenStore, refreshTokens, clock, events });
    auditAccountEvents({ events, audit, em: () => db.orm.em.fork(), logger });
    const permissions = createPermissionService();
    const rateLimits = createRateLimits(config.limits.rate, counterStore);
    const ttl = config.account.tokenTtlSeconds;
    const { mailer, emails, templates } = await createAccountMail(
      {
        transport: {
          smtpUrl: config.mail.smtpUrl,
          from: config.mail.from,
          smtpTimeoutMs: config.mail.smtpTimeoutMs,
          outboxDir: join(config.dataDir, 'mail'),
          printOutbox: config.env === 'development',
          warnOutboxOnly: config.env === 'production',
        },
        templatesDir: config.mail.templatesDir,
        publicAppUrl: config.mail.publicAppUrl,
        siteName: config.mail.siteName,
        tokenTtlSeconds: {
          activation: ttl.activation,
          password_reset: ttl.passwordReset,
          password_set: ttl.passwordSet,
          secondary_email: ttl.secondaryEmail,
        },
      },
      clock,
      logger,
      observed.mailer,
    );
    closers.unshift(() => mailer.close());
    subscribeSecurityNotices({
      events,
      mailer,
      templates,
      em: () => db.orm.em.fork(),
      logger,
      siteName: config.mail.siteName,
      publicAppUrl: config.mail.publicAppUrl,
      settings: config.notices,
    });
    observeRuntime({ metrics, tracer, events, db, tokenStore, redis });
    const auth = createAuthService({
      emails,
      events,
      audit,
      hasher,
      accessTokens,
      issueTokenPair,
      revokeIssuedSession: (refreshToken) => refreshTokens.revoke(refreshToken),
      rateLimits,
      clock,
      logger,
      settings: {
        allowUnverifiedLogin: config.auth.allowUnverifiedLogin,
        loginBySecondaryEmail: config.account.loginBySecondaryEmail,
        passwordlessRegistration: config.account.passwordlessRegistration,
      },
    });
    // Unknown-address answers wait like a real send. Until one is measured, the mimic times the same
    // work without sending (at start-up, see `calibrateMail`, or in the first such request itself).
    const mimic = createLatencyMimic({
      initialMs: 50,
      measure: () => emails.timeASend(db.orm.em.fork() as EntityManager),
    });
    const account = createAccountService({
      clock,
      logger,
      hasher,
      emails,
      events,
      tokenStore,
      issueTokenPair,
      mimic,
      settings: { hardDelete: config.account.hardDelete },
    });
    return {
      config,
      logger,
      clock,
      db,
      tokenStore,
      hasher,
      accessTokens,
      refreshTokens,
      signingKeys,
      tokens,
      sessions,
      auth,
      mailer,
      events,
      account,
      calibrateMail: () => mimic.calibrate(),
      audit,
      permissions,
      admin: createAdminService({ audit, permissions, tokenStore, clock }),
      rateLimits,
      metrics,
      tracer,
      async close() {
        for (const close of closers) await close();
      },
    };
  } catch (error) {
    for (const close of closers) await close().catch(() => undefined);
    throw error;
  }
}
