import type { Tracer } from '@opentelemetry/api';
import type { RedisClientType } from 'redis';
import type { Database } from './db/database.js';
import { commandSender } from './dependencies/redis-command-sender.js';
import type { AuditLog } from './modules/audit/audit.service.js';
import type { PasswordHasher } from './modules/auth/password-hasher.js';
import type { AppEventBus } from './modules/events/app-events.js';
import type { Mailer } from './modules/mail/mailer.js';
import type { Metrics } from './modules/metrics/metrics.js';
import { registerHealthGauges } from './modules/metrics/metrics.js';
import {
  countedMailer,
  countedRefreshes,
  countedSignIns,
  measuredHasher,
} from './modules/metrics/observed-ports.js';
import type { RefreshTokens } from './modules/tokens/refresh-tokens.js';
import type { TokenStore } from './modules/tokens/token-store.js';
import { tracedHasher, tracedMailer, traceRedis, traceSql } from './modules/tracing/traced-ports.js';

/**
 * The composition root's observability: each port wrapped for metrics and (tracing on) spans.
 * Kept out of services.ts so that file only says where each wrapper goes.
 */
export function observePorts(metrics: Metrics, tracer: Tracer | null) {
  return {
    hasher(hasher: PasswordHasher): PasswordHasher {
      const measured = measuredHasher(hasher, metrics);
      return tracer ? tracedHasher(measured, tracer) : measured;
    },
    mailer(mailer: Mailer): Mailer {
      const counted = countedMailer(mailer, metrics);
      return tracer ? tracedMailer(counted, tracer) : counted;
    },
    refreshTokens: (refreshTokens: RefreshTokens): RefreshTokens => countedRefreshes(refreshTokens, metrics),
    audit: (audit: AuditLog): AuditLog => countedSignIns(audit, metrics),
  };
}

/** Redis commands as spans. */
export function observeRedis(redis: RedisClientType, tracer: Tracer | null): void {
  if (tracer) traceRedis(commandSender(redis) as unknown as Parameters<typeof traceRedis>[0], tracer);
}

/** Reuse detections counted from the event bus, pool and dependency health, SQL spans. */
export function observeRuntime(deps: {
  metrics: Metrics;
  tracer: Tracer | null;
  events: AppEventBus;
  db: Database;
  tokenStore: TokenStore;
  redis: RedisClientType | null;
}): void {
  const { metrics, db } = deps;
  deps.events.on('refreshTokenReused', () => {
    metrics.refreshReuse.inc();
  });
  const knex = db.orm.em.getConnection().getKnex();
  registerHealthGauges(metrics, {
    pool() {
      const pool = (knex.client as { pool?: TarnPool }).pool;
      if (!pool) return null;
      return { used: pool.numUsed(), free: pool.numFree(), pending: pool.numPendingAcquires() };
    },
    dependencies: {
      database: () => db.orm.em.getConnection().execute('select 1'),
      token_store: () => deps.tokenStore.ping(),
    },
  });
  if (deps.tracer) traceSql(knex as unknown as Parameters<typeof traceSql>[0], deps.tracer);
}

/** The part of knex's (tarn) pool read for the gauges. */
interface TarnPool {
  numUsed(): number;
  numFree(): number;
  numPendingAcquires(): number;
}
