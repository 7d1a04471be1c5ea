/** The two things the floor needs from time: a monotonic now and a timer. Injected in tests. */
export interface FloorTimer {
  now(): number;
  sleep(ms: number): Promise<void>;
}

export const realFloorTimer: FloorTimer = {
  now: () => performance.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

/** Weight of the newest bcrypt duration in the running estimate (an EWMA: cheap, follows load). */
const EWMA_WEIGHT = 0.2;

/**
 * A failed sign-in resolves no earlier than `max(minimumMs, bcrypt estimate)` after it started,
 * so a not-yet-upgraded Django account (PBKDF2: 54 ms, md5: 0 ms) answers a wrong password in the
 * time an unknown login takes (a dummy bcrypt). A timer, not more hashing: waiting costs no CPU,
 * so the padding does not amplify a denial of service. Successes are never padded.
 */
export function createFailureFloor(options: { minimumMs: number; timer?: FloorTimer }) {
  const timer = options.timer ?? realFloorTimer;
  let estimate: number | null = null;
  return {
    /** One bcrypt verification at the configured cost took `ms` (real or dummy). */
    record(ms: number): void {
      estimate = estimate === null ? ms : estimate + EWMA_WEIGHT * (ms - estimate);
    },
    estimateMs: (): number => estimate ?? 0,
    floorMs: (): number => Math.max(options.minimumMs, estimate ?? 0),
    /** Call when the attempt starts; await the returned function on failure. */
    start(): () => Promise<void> {
      const started = timer.now();
      return async () => {
        const wait = started + Math.max(options.minimumMs, estimate ?? 0) - timer.now();
        if (wait > 0) await timer.sleep(wait);
      };
    },
    /** Times `work` (a bcrypt verification) into the estimate. */
    async time<T>(work: () => Promise<T>): Promise<T> {
      const started = timer.now();
      try {
        return await work();
      } finally {
        this.record(timer.now() - started);
      }
    },
  };
}

export type FailureFloor = ReturnType<typeof createFailureFloor>;
