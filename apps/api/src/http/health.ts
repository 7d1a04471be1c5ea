import { Router } from 'express';
import type { WorkerCounts } from '../cluster.js';
import { withDeadline } from '../dependencies/unavailable.js';
import type { Services } from '../services.js';

/**
 * `/healthz`: the process is up (never touches a dependency, so it stays 200 during outages).
 * `/readyz`: it can serve, i.e. the database and the token store answer, each within
 * `READINESS_TIMEOUT_MS` (under a second), so a partition answers 503 naming the dependency instead
 * of hanging the probe. Load balancers route on the second. In a cluster, `/readyz` also says how
 * many workers the primary counts as listening (`workers: { ready, expected }`): the answering
 * worker is ready when its own checks pass, so a worker being replaced lowers the count, not the status.
 */
export function healthRoutes(services: Services, workers?: () => WorkerCounts): Router {
  const router = Router();
  const bound = services.config.timeouts.readinessMs;
  router.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  router.get('/readyz', async (_req, res) => {
    const checks = await Promise.all([
      check('database', bound, () => services.db.orm.em.getConnection().execute('select 1')),
      check('tokenStore', bound, () => services.tokenStore.ping()),
    ]);
    const ready = checks.every((entry) => entry.ok);
    const failing = checks.filter((entry) => !entry.ok).map((entry) => entry.name);
    if (!ready) services.logger.warn({ failing }, 'not ready');
    res.status(ready ? 200 : 503).json({
      status: ready ? 'ready' : 'unavailable',
      checks: Object.fromEntries(checks.map((entry) => [entry.name, entry.ok ? 'ok' : 'failing'])),
      ...(ready ? {} : { failing }),
      ...(workers ? { workers: workers() } : {}),
    });
  });
  return router;
}

async function check(
  name: string,
  boundMs: number,
  probe: () => Promise<unknown>,
): Promise<{ name: string; ok: boolean }> {
  try {
    await withDeadline(name, boundMs, probe);
    return { name, ok: true };
  } catch {
    return { name, ok: false };
  }
}
