import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';

/** Seconds buckets for requests (fast reads to slow bcrypt-bound mutations). */
const REQUEST_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
/** Seconds buckets for one bcrypt call: cost 4 in tests (~1 ms) to cost 14 (~1 s). */
const HASH_BUCKETS = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.2, 0.3, 0.5, 1, 2];

/** How a sign-in ended. `rate_limited` is fed by the rate limiter (issue 13) once it lands. */
export const SIGN_IN_OUTCOMES = ['ok', 'failed', 'rate_limited'] as const;
/** How a refresh ended: a fresh rotation, a retry inside the grace window, or a refusal. */
export const REFRESH_OUTCOMES = ['rotated', 'grace_replay', 'expired', 'invalid'] as const;

/**
 * The service's Prometheus metrics, in a registry of its own (no prom-client globals: tests run
 * several instances in one process). Every label value comes from a closed list, from the schema,
 * or from a bounded set of operation names, so the number of series is bounded whatever clients send.
 */
export function createMetrics(options: { processMetrics?: boolean } = {}) {
  const registry = new Registry();
  if (options.processMetrics ?? true) collectDefaultMetrics({ register: registry, prefix: 'auth_' });
  const registers = [registry];

  const metrics = {
    registry,
    httpRequests: new Counter({
      name: 'auth_http_requests_total',
      help: 'HTTP requests by method, route and status class.',
      labelNames: ['method', 'route', 'status'] as const,
      registers,
    }),
    httpDuration: new Histogram({
      name: 'auth_http_request_duration_seconds',
      help: 'HTTP request latency by route.',
      labelNames: ['method', 'route'] as const,
      buckets: REQUEST_BUCKETS,
      registers,
    }),
    operations: new Counter({
      name: 'auth_graphql_operations_total',
      help: 'GraphQL operations by the root field they select (anonymous unless exactly one field of the schema), type and outcome (ok, failure: a success:false payload, error: a GraphQL error).',
      labelNames: ['operation', 'type', 'outcome'] as const,
      registers,
    }),
    operationDuration: new Histogram({
      name: 'auth_graphql_operation_duration_seconds',
      help: 'GraphQL execution latency by root field and outcome.',
      labelNames: ['operation', 'type', 'outcome'] as const,
      buckets: REQUEST_BUCKETS,
      registers,
    }),
    namedOperations: new Counter({
      name: 'auth_graphql_operations_by_name_total',
      help: 'GraphQL operations by the name their document gives them (anonymous: none; other: past the first METRICS_OPERATION_NAMES names), type and outcome.',
      labelNames: ['name', 'type', 'outcome'] as const,
      registers,
    }),
    namedOperationDuration: new Histogram({
      name: 'auth_graphql_operation_by_name_duration_seconds',
      help: 'GraphQL execution latency by operation name (as auth_graphql_operations_by_name_total) and outcome.',
      labelNames: ['name', 'type', 'outcome'] as const,
      buckets: REQUEST_BUCKETS,
      registers,
    }),
    signIns: new Counter({
      name: 'auth_sign_ins_total',
      help: 'Sign-in attempts by outcome (ok, failed, rate_limited).',
      labelNames: ['outcome'] as const,
      registers,
    }),
    refreshes: new Counter({
      name: 'auth_refreshes_total',
      help: 'Refresh-token presentations by outcome (rotated, grace_replay, expired, invalid).',
      labelNames: ['outcome'] as const,
      registers,
    }),
    refreshReuse: new Counter({
      name: 'auth_refresh_reuse_detected_total',
      help: 'Rotated refresh tokens presented after the grace window: their session was revoked.',
      registers,
    }),
    mail: new Counter({
      name: 'auth_mail_total',
      help: 'Emails handed to the transport, by outcome (sent, failed).',
      labelNames: ['outcome'] as const,
      registers,
    }),
    passwordHash: new Histogram({
      name: 'auth_password_hash_seconds',
      help: 'Time to hash one password.',
      buckets: HASH_BUCKETS,
      registers,
    }),
    passwordVerify: new Histogram({
      name: 'auth_password_verify_seconds',
      help: 'Time to verify one password (against the dummy hash for unknown logins too).',
      buckets: HASH_BUCKETS,
      registers,
    }),
  };
  // Known series start at zero, so a rate() sees the first event and dashboards show every outcome.
  for (const outcome of SIGN_IN_OUTCOMES) metrics.signIns.inc({ outcome }, 0);
  for (const outcome of REFRESH_OUTCOMES) metrics.refreshes.inc({ outcome }, 0);
  for (const outcome of ['sent', 'failed']) metrics.mail.inc({ outcome }, 0);
  return metrics;
}

export type Metrics = ReturnType<typeof createMetrics>;

/** Health probes read at scrape time: the composition root hands in what it has. */
export interface HealthProbes {
  /** Connections of the database pool; null when the pool cannot be read. */
  pool(): { used: number; free: number; pending: number } | null;
  /** Each dependency's probe: resolves when it answers. */
  dependencies: Record<string, () => Promise<unknown>>;
}

/** Pool occupancy and dependency health, measured when Prometheus scrapes (nothing in between). */
export function registerHealthGauges(metrics: Metrics, probes: HealthProbes): void {
  const registers = [metrics.registry];
  new Gauge({
    name: 'auth_db_pool_connections',
    help: 'Database pool connections by state (used, free, pending acquires).',
    labelNames: ['state'] as const,
    registers,
    collect() {
      const pool = probes.pool();
      if (!pool) return;
      this.set({ state: 'used' }, pool.used);
      this.set({ state: 'free' }, pool.free);
      this.set({ state: 'pending' }, pool.pending);
    },
  });
  new Gauge({
    name: 'auth_dependency_up',
    help: 'Whether a dependency answered a probe at scrape time (1) or not (0).',
    labelNames: ['dependency'] as const,
    registers,
    async collect() {
      await Promise.all(
        Object.entries(probes.dependencies).map(async ([dependency, probe]) => {
          const up = await probe().then(
            () => 1,
            () => 0,
          );
          this.set({ dependency }, up);
        }),
      );
    },
  });
}
