import { existsSync } from 'node:fs';
import type { Server } from 'node:http';
import { fileURLToPath } from 'node:url';
import { createApp } from './app.js';
import { clusterWorkerId, isClusterPrimary, joinCluster, runPrimary } from './cluster.js';
import { ConfigError, loadConfig } from './config.js';
import { createMetricsApp } from './http/observability.js';
import { listenWithLimits } from './http/server-limits.js';
import { createLogger } from './logger.js';
import { createServices } from './services.js';
import { lowerHelperThreadPriority } from './thread-priority.js';

/** The repository root: `.env` and the default `.data/` live there whatever the working directory. */
const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const SHUTDOWN_TIMEOUT_MS = 10_000;

async function main(): Promise<void> {
  const envFile = `${REPO_ROOT}.env`;
  if (existsSync(envFile)) process.loadEnvFile(envFile);

  let config: ReturnType<typeof loadConfig>;
  try {
    config = loadConfig({ ...process.env, DATA_DIR: process.env.DATA_DIR || `${REPO_ROOT}.data` });
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(78); // EX_CONFIG
    }
    throw error;
  }

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
  });
  // After createServices: the hasher's start-up verifications have started libuv's pool by now.
  const lowered = lowerHelperThreadPriority(config.auth.hashThreadNice);
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

main().catch((error: unknown) => {
  console.error('API failed to start:', error instanceof Error ? error.message : error);
  process.exit(1);
});
