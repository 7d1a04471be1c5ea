import { randomInt } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';

/**
 * Makes "nothing to do" take as long as "did the work". `record` keeps the durations of real runs
 * (issue a token, commit, send the mail); `imitate` waits until a duration drawn from those same
 * samples has passed. Drawing from the real distribution, not a constant, keeps the variance alike
 * too, and an attacker who calibrates with their own address only feeds the samples they compare to.
 */
export interface LatencyMimic {
  record(durationMs: number): void;
  /** Resolves once a sampled duration has passed since `startedAt` (a `performance.now()` value). */
  imitate(startedAt: number): Promise<void>;
}

export function createLatencyMimic(options: { initialMs: number; samples?: number }): LatencyMimic {
  const size = options.samples ?? 32;
  const samples: number[] = [];
  let next = 0;
  return {
    record(durationMs) {
      if (samples.length < size) samples.push(durationMs);
      else samples[next] = durationMs;
      next = (next + 1) % size;
    },
    async imitate(startedAt) {
      const target = samples.length === 0 ? options.initialMs : samples[randomInt(samples.length)]!;
      // Timers may fire a fraction of a millisecond early: wait again until the target has passed.
      for (let remaining = target - (performance.now() - startedAt); remaining > 0; ) {
        await sleep(remaining);
        remaining = target - (performance.now() - startedAt);
      }
    },
  };
}
