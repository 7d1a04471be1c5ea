import { Router } from 'express';
import type { Services } from '../services.js';

/**
 * `/healthz`: the process is up. `/readyz`: it can serve, i.e. the database and the token store
 * answer. Load balancers route on the second.
 */
export function healthRoutes(services: Services): Router {
  const router = Router();
  router.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  router.get('/readyz', async (_req, res) => {
    const checks = await Promise.all([
      check('database', () => services.db.orm.em.getConnection().execute('select 1')),
      check('tokenStore', () => services.tokenStore.ping()),
    ]);
    const ready = checks.every((entry) => entry.ok);
    if (!ready) services.logger.warn({ checks }, 'not ready');
    res.status(ready ? 200 : 503).json({
      status: ready ? 'ready' : 'unavailable',
      checks: Object.fromEntries(checks.map((entry) => [entry.name, entry.ok ? 'ok' : 'failing'])),
    });
  });
  return router;
}

async function check(name: string, probe: () => Promise<unknown>): Promise<{ name: string; ok: boolean }> {
  try {
    await probe();
    return { name, ok: true };
  } catch {
    return { name, ok: false };
  }
}
