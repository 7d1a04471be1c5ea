import type { Server } from 'node:http';
import { createApp } from './app.js';
import { clusterWorkerId, isClusterPrimary, joinCluster, runPrimary } from './cluster.js';
import type { Config } from './config.js';
import type { EmbeddedPostgres } from './db/embedded-postgres.js';
import { createMetricsApp } from './http/observability.js';
import { listenWithLimits } from './http/server-limits.js';
import { createLogger } from './logger.js';
import { createServices } from './services.js';
import { lowerHelperThreadPriority } from './thread-priority.js';

const SHUTDOWN_TIMEOUT_MS = 10_000;

/** What main.ts started before loading this module. */
export interface EarlyStart {
  /** The embedded database, already starting on its own thread (null with DATABASE_URL). */
  embeddedPostgres: Promise<EmbeddedPostgres> | null;
}

/** Runs the server (or, with WEB_CONCURRENCY > 1, the cluster's primary) until a signal stops it. */
export async function serve(config: Config, early: EarlyStart): Promise<void> {
  // WEB_CONCURRENCY > 1: this process only runs the workers (cluster.ts); each of them runs the rest.
  if (isClusterPrimary(config)) return runPrimary(config, createLogger(config.logLevel), SHUTDOWN_TIMEOUT_MS);
  const cluster = joinCluster();
  const workerId = clusterWorkerId();

  const startedAt = performance.now();
  const logger = createLogger(config.logLevel);
  const services = await createServices(config, {
    logger: workerId === undefined ? logger : logger.child({ worker: workerId }),
    // The primary has applied them already.
    migrate: cluster === null,
    embeddedPostgres: early.embeddedPostgres ?? undefined,
  });
  // After createServices: the hasher's first seeding job has started libuv's pool by now.
  // PGlite's thread answers the requests' queries: niced, a login storm would slow every request.
  const embeddedThread = services.db.embeddedThreadId;
  const lowered = lowerHelperThreadPriority(
    config.auth.hashThreadNice,
    embeddedThread === null ? [] : [embeddedThread],
  );
  const app = createApp(services, undefined, { workers: cluster?.counts });
  const server: Server = await listenWithLimits(
    app,
    config.limits.server,
    config.http.port,
    config.http.host,
  );
  const metricsPort = config.observability.metrics.port;
  const metricsServer: Server | null =
    metricsPort === null
      ? null
      : await new Promise((resolve, reject) => {
          const listening = createMetricsApp(services.metrics).listen(
            metricsPort,
            config.observability.metrics.host,
            (error?: Error) => (error ? reject(error) : resolve(listening)),
          );
        });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.http.port;
  services.logger.info(
    {
      url: `http://${config.http.host}:${port}/graphql`,
      database: services.db.embedded ? 'embedded PGlite' : 'PostgreSQL',
      tokenStore: config.redis ? 'Redis' : 'SQL',
      startupMs: Math.round(performance.now() - startedAt),
      metrics: metricsServer
        ? `http://${config.observability.metrics.host}:${portOf(metricsServer)}/metrics`
        : null,
      tracing: config.observability.tracing.otlpEndpoint ? 'OTLP' : 'off',
      hashThreads: lowered > 0 ? `nice ${config.auth.hashThreadNice}` : 'normal priority',
    },
    'API listening',
  );
  cluster?.ready();
  // So that unknown-address answers cost a send's time from the first request (never rejects).
  void services.calibrateMail();

  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    services.logger.info({ signal }, 'shutting down: finishing in-flight requests');
    const force = setTimeout(() => {
      services.logger.error('shutdown timed out; exiting');
      process.exit(1);
    }, SHUTDOWN_TIMEOUT_MS);
    force.unref();
    metricsServer?.close();
    server.close(async () => {
      await services.close();
      services.logger.info('stopped');
      process.exit(0);
    });
    // Keep-alive connections with no request in flight would otherwise hold close() open.
    server.closeIdleConnections();
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
}

function portOf(server: Server): number | null {
  const address = server.address();
  return typeof address === 'object' && address ? address.port : null;
}
