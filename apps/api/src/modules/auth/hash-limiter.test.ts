import { describe, expect, it } from 'vitest';
import { createHashLimiter, HasherBusyError } from './hash-limiter.js';

/** A job that finishes when the test says so. */
function gate() {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { open, job: () => opened.then(() => 'done') };
}

describe('hash limiter', () => {
  it('runs at most `concurrency` jobs, queues up to `queueSize`, refuses the rest at once', async () => {
    const limiter = createHashLimiter({ concurrency: 2, queueSize: 1, maxWaitMs: 10_000 });
    const gates = [gate(), gate(), gate()];
    const runs = gates.map((g) => limiter.run(g.job));
    expect(limiter.load()).toEqual({ running: 2, waiting: 1 });
    const refused = limiter.run(async () => 'never');
    await expect(refused).rejects.toBeInstanceOf(HasherBusyError);
    await expect(refused).rejects.toMatchObject({ retryAfterSeconds: 10 });
    gates[0]!.open();
    await runs[0];
    // The freed slot went to the waiter: still two running, none waiting.
    expect(limiter.load()).toEqual({ running: 2, waiting: 0 });
    gates[1]!.open();
    gates[2]!.open();
    await expect(Promise.all(runs)).resolves.toEqual(['done', 'done', 'done']);
    expect(limiter.load()).toEqual({ running: 0, waiting: 0 });
  });

  it('a waiter gives up after maxWaitMs and leaves the line; a failing job frees its slot', async () => {
    const limiter = createHashLimiter({ concurrency: 1, queueSize: 5, maxWaitMs: 30 });
    const first = gate();
    const running = limiter.run(first.job);
    await expect(limiter.run(async () => 'late')).rejects.toBeInstanceOf(HasherBusyError);
    expect(limiter.load()).toEqual({ running: 1, waiting: 0 });
    first.open();
    await running;
    await expect(limiter.run(() => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    await expect(limiter.run(async () => 'next')).resolves.toBe('next');
    expect(limiter.load()).toEqual({ running: 0, waiting: 0 });
  });
});
