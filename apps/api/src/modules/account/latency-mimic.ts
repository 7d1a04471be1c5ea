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
  /**
   * Takes one sample from `measure` unless a sample exists: at start-up, and by the first request
   * that must imitate before any real run was recorded. Never rejects.
   */
  calibrate(): Promise<void>;
}

export interface LatencyMimicOptions {
  /** The target while there is no sample at all (no real run, and calibration failed). */
  initialMs: number;
  samples?: number;
  /**
   * Runs the same work as a real run without its effect (the same lookups and statements, a fresh
   * connection to the relay that authenticates and quits) and returns its duration. Without it, a
   * fresh process would answer unknown addresses in `initialMs` against a real send's time for known
   * ones until its first real send: a timing oracle at every start.
   */
  measure?: () => Promise<number>;
}

export function createLatencyMimic(options: LatencyMimicOptions): LatencyMimic {
  const size = options.samples ?? 32;
  const samples: number[] = [];
  let next = 0;
  let calibrating: Promise<void> | null = null;
  const record = (durationMs: number) => {
    if (samples.length < size) samples.push(durationMs);
    else samples[next] = durationMs;
    next = (next + 1) % size;
  };
  const calibrate = (): Promise<void> => {
    const { measure } = options;
    if (!measure || samples.length > 0) return Promise.resolve();
    calibrating ??= measure()
      .then(
        (durationMs) => {
          if (samples.length === 0) record(durationMs);
        },
        // The dependency is down: the answer is `email_fail` anyway; the next request measures again.
        () => undefined,
      )
      .finally(() => {
        calibrating = null;
      });
    return calibrating;
  };
  return {
    record,
    calibrate,
    async imitate(startedAt) {
      // The first imitation in a process does the measured work itself, so it costs what a send does.
      if (samples.length === 0) await calibrate();
      const target = samples.length === 0 ? options.initialMs : samples[randomInt(samples.length)]!;
      // Timers may fire a fraction of a millisecond early: wait again until the target has passed.
      for (let remaining = target - (performance.now() - startedAt); remaining > 0; ) {
        await sleep(remaining);
        remaining = target - (performance.now() - startedAt);
      }
    },
  };
}
