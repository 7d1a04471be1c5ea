/**
 * At most `concurrency` password hashes run at once; at most `queueSize` more wait, each for at
 * most `maxWaitMs`. bcrypt is CPU-bound at a fixed cost per job: running more jobs than cores only
 * makes every login slower (and, on the libuv pool, anything else queued there), so past the
 * bound a login is told to retry at once (`HasherBusyError`) rather than after seconds in line.
 *
 * Written here rather than taken from p-limit/p-queue: neither bounds the waiting line and the
 * time in it together, which is the whole point; this is a counter and a FIFO.
 */
export class HasherBusyError extends Error {
  constructor(readonly retryAfterSeconds: number) {
    super('password hashing is at capacity');
    this.name = 'HasherBusyError';
  }
}

export interface HashLimits {
  concurrency: number;
  queueSize: number;
  maxWaitMs: number;
}

interface Waiter {
  start: () => void;
  timer: NodeJS.Timeout;
}

export interface HashLimiter {
  run<T>(job: () => Promise<T>): Promise<T>;
  /** Jobs running and waiting now (for tests and metrics). */
  load(): { running: number; waiting: number };
}

export function createHashLimiter(limits: HashLimits): HashLimiter {
  let running = 0;
  const waiting: Waiter[] = [];
  const retryAfterSeconds = Math.max(1, Math.ceil(limits.maxWaitMs / 1000));

  const release = () => {
    const next = waiting.shift();
    if (next) {
      clearTimeout(next.timer);
      next.start(); // the slot passes straight to the next waiter: `running` stays the same
    } else {
      running--;
    }
  };

  const acquire = (): Promise<void> => {
    if (running < limits.concurrency) {
      running++;
      return Promise.resolve();
    }
    if (waiting.length >= limits.queueSize) return Promise.reject(new HasherBusyError(retryAfterSeconds));
    return new Promise<void>((resolve, reject) => {
      const waiter: Waiter = {
        start: resolve,
        timer: setTimeout(() => {
          waiting.splice(waiting.indexOf(waiter), 1);
          reject(new HasherBusyError(retryAfterSeconds));
        }, limits.maxWaitMs),
      };
      waiting.push(waiter);
    });
  };

  return {
    async run(job) {
      await acquire();
      try {
        return await job();
      } finally {
        release();
      }
    },
    load: () => ({ running, waiting: waiting.length }),
  };
}
