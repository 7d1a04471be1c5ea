import { Redis } from 'ioredis';
import { type Clock, systemClock } from './clock.js';
import type { Config } from './config.js';
import { type Database, openDatabase } from './db/database.js';
import { createMikroOrmSqlClient } from './db/sql-client.js';
import { createLogger, type Logger } from './logger.js';
import { type AccessTokens, createAccessTokens } from './modules/auth/access-tokens.js';
import { type AuthService, createAuthService } from './modules/auth/auth.service.js';
import { loadOrCreateJwtSecret } from './modules/auth/jwt-secret.js';
import { createBcryptHasher, type PasswordHasher } from './modules/auth/password-hasher.js';
import { createRedisTokenStore } from './modules/tokens/redis-token-store.js';
import { createRefreshTokens, type RefreshTokens } from './modules/tokens/refresh-tokens.js';
import { createSqlTokenStore } from './modules/tokens/sql-token-store.js';
import type { TokenStore } from './modules/tokens/token-store.js';

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
  auth: AuthService;
  close(): Promise<void>;
}

/** Pieces tests may replace (a manual clock, a logger that captures lines). */
export interface ServiceOverrides {
  clock?: Clock;
  logger?: Logger;
}

/** The one composition root: config in, wired services out. */
export async function createServices(config: Config, overrides: ServiceOverrides = {}): Promise<Services> {
  const logger = overrides.logger ?? createLogger(config.logLevel);
  const clock = overrides.clock ?? systemClock;
  const db = await openDatabase({
    databaseUrl: config.databaseUrl,
    dataDir: config.dataDir,
    poolSize: config.dbPoolSize,
    logger,
  });
  const closers: Array<() => Promise<unknown>> = [() => db.close()];
  try {
    let tokenStore: TokenStore;
    if (config.redis) {
      const redis = new Redis(config.redis.url, { lazyConnect: true, maxRetriesPerRequest: 2 });
      await redis.connect();
      closers.unshift(() => redis.quit());
      tokenStore = createRedisTokenStore({ redis, keyPrefix: config.redis.keyPrefix });
    } else {
      // The SQL store shares the ORM's pool (of one connection in embedded mode).
      tokenStore = createSqlTokenStore({ sql: createMikroOrmSqlClient(db.orm.em.fork()) });
    }
    const secret = config.jwt.secret ?? (await loadOrCreateJwtSecret(config.dataDir));
    const accessTokens = createAccessTokens(
      {
        secret,
        ttlSeconds: config.jwt.accessTokenTtlSeconds,
        leewaySeconds: config.jwt.leewaySeconds,
        issuer: config.jwt.issuer,
        audience: config.jwt.audience,
      },
      clock,
    );
    const hasher = await createBcryptHasher(config.auth.bcryptCost);
    const refreshTokens = createRefreshTokens({
      store: tokenStore,
      clock,
      ttlSeconds: config.jwt.refreshTokenTtlSeconds,
    });
    const auth = createAuthService({
      hasher,
      accessTokens,
      refreshTokens,
      clock,
      logger,
      settings: { allowUnverifiedLogin: config.auth.allowUnverifiedLogin },
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
      auth,
      async close() {
        for (const close of closers) await close();
      },
    };
  } catch (error) {
    for (const close of closers) await close().catch(() => undefined);
    throw error;
  }
}
