import { isProblem } from '../auth/django-hashers/django-hash.js';
import { parseDjangoHash } from '../auth/django-hashers/identify.js';
import type { ImportPlan } from './plan.js';

/**
 * Times one (wrong-password) verification per distinct (scheme, parameters) class imported: the
 * slowest is what the failure floor must cover (§5). The only password work of an import.
 */
export async function slowestHashClass(
  plan: ImportPlan,
): Promise<{ scheme: string; params: string; ms: number } | null> {
  let slowest: { scheme: string; params: string; ms: number } | null = null;
  for (const cls of plan.hashClasses.values()) {
    const parsed = parseDjangoHash(cls.sample);
    if (isProblem(parsed)) continue;
    const started = performance.now();
    await parsed.verify('timing probe: not the password');
    const ms = Math.round(performance.now() - started);
    if (!slowest || ms > slowest.ms) slowest = { scheme: cls.scheme, params: cls.params, ms };
  }
  return slowest;
}
