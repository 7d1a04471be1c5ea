import cluster, { type Worker } from 'node:cluster';
import type { Config } from './config.js';
import { openDatabase } from './db/database.js';
import type { Logger } from './logger.js';

/**
 * Multi-process mode (`WEB_CONCURRENCY` > 1): this primary process serves nothing itself. It
 * applies the migrations once, forks the workers (each a whole server on the same port: node:cluster
 * hands connections round-robin), replaces a worker that dies, tells every worker how many of them
 * are ready (`/readyz` reports it), and on SIGTERM/SIGINT lets each worker finish its in-flight
 * requests and exits when the last one has. Workers inherit stdout/stderr: one log stream, each
 * line tagged with its worker id.
 *
 * The alternative, N single-process containers behind a load balancer, needs none of this: run
 * each with WEB_CONCURRENCY=1 (README, "Running on every core").
 */

/** What the primary tells the workers whenever the count changes. */
export interface WorkerCounts {
  ready: number;
  expected: number;
}

interface ClusterMessage {
  type: 'auth-cluster';
  event: 'ready' | 'counts';
  counts?: WorkerCounts;
}

const isClusterMessage = (message: unknown): message is ClusterMessage =>
  typeof message === 'object' && message !== null && (message as ClusterMessage).type === 'auth-cluster';

/** A worker that dies sooner than this after starting counts as a crash loop. */
const CRASH_WINDOW_MS = 5_000;
const MAX_QUICK_CRASHES = 5;

export async function runPrimary(config: Config, logger: Logger, shutdownTimeoutMs: number): Promise<void> {
  // Once, before any worker starts: N workers migrating at the same moment would race.
  const db = await openDatabase({
    databaseUrl: config.databaseUrl,
    dataDir: config.dataDir,
    poolSize: 1,
    logger,
  });
  await db.close();

  const ready = new Set<number>();
  const startedAt = new Map<number, number>();
  let quickCrashes = 0;
  let stopping = false;

  const broadcast = () => {
    const counts: WorkerCounts = { ready: ready.size, expected: config.workers };
    for (const worker of Object.values(cluster.workers ?? {})) {
      if (worker?.isConnected()) worker.send({ type: 'auth-cluster', event: 'counts', counts });
    }
  };
  const fork = (): Worker => {
    const worker = cluster.fork();
    startedAt.set(worker.id, Date.now());
    worker.on('message', (message: unknown) => {
      if (!isClusterMessage(message) || message.event !== 'ready') return;
      ready.add(worker.id);
      if (ready.size === config.workers) logger.info({ workers: ready.size }, 'all workers listening');
      broadcast();
    });
    return worker;
  };

  cluster.on('exit', (worker, code, signal) => {
    ready.delete(worker.id);
    if (stopping) {
      if (Object.keys(cluster.workers ?? {}).length === 0) {
        logger.info('stopped');
        process.exit(0);
      }
      return;
    }
    broadcast();
    const quick = Date.now() - (startedAt.get(worker.id) ?? 0) < CRASH_WINDOW_MS;
    quickCrashes = quick ? quickCrashes + 1 : 0;
    if (quickCrashes >= MAX_QUICK_CRASHES) {
      logger.fatal({ code, signal }, 'workers keep dying at start; giving up');
      process.exit(1);
    }
    logger.error({ worker: worker.id, code, signal }, 'worker died; starting another');
    fork();
  });

  const shutdown = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down: workers finish their in-flight requests');
    for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill('SIGTERM');
    const force = setTimeout(() => {
      logger.error('shutdown timed out; exiting');
      for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill('SIGKILL');
      process.exit(1);
    }, shutdownTimeoutMs + 1_000);
    force.unref();
    if (Object.keys(cluster.workers ?? {}).length === 0) process.exit(0);
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));

  logger.info({ workers: config.workers }, 'starting workers');
  for (let i = 0; i < config.workers; i++) fork();
}

/**
 * In a worker: announce that it listens, and keep the primary's latest counts for `/readyz`.
 * Returns null outside a cluster.
 */
export function joinCluster(): { ready(): void; counts(): WorkerCounts } | null {
  if (!cluster.isWorker) return null;
  let counts: WorkerCounts = { ready: 0, expected: 0 };
  process.on('message', (message: unknown) => {
    if (isClusterMessage(message) && message.event === 'counts' && message.counts) counts = message.counts;
  });
  return {
    ready: () => process.send?.({ type: 'auth-cluster', event: 'ready' } satisfies ClusterMessage),
    counts: () => counts,
  };
}

export const isClusterPrimary = (config: Config) => config.workers > 1 && cluster.isPrimary;
export const clusterWorkerId = () => (cluster.isWorker ? cluster.worker?.id : undefined);
