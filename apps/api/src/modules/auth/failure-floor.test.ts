import { describe, expect, it } from 'vitest';
import { createFailureFloor, type FloorTimer } from './failure-floor.js';
import { createPasswordHasher } from './password-hasher.js';

/** A timer whose clock only moves when told to; `sleep` records what it was asked for. */
function fakeTimer() {
  let now = 0;
  const sleeps: number[] = [];
  const timer: FloorTimer & { advance(ms: number): void; sleeps: number[] } = {
    now: () => now,
    async sleep(ms) {
      sleeps.push(ms);
      now += ms;
    },
    advance(ms) {
      now += ms;
    },
    sleeps,
  };
  return timer;
}

describe('failure floor (injected timer)', () => {
  it('pads a failure up to the running bcrypt estimate', async () => {
    const timer = fakeTimer();
    const floor = createFailureFloor({ minimumMs: 0, timer });
    floor.record(200);
    const pad = floor.start();
    timer.advance(50); // a fast legacy check (PBKDF2 at 1000 iterations, md5...)
    await pad();
    expect(timer.sleeps).toEqual([150]);
  });

  it('never pads past the floor, and a slow failure waits for nothing', async () => {
    const timer = fakeTimer();
    const floor = createFailureFloor({ minimumMs: 0, timer });
    floor.record(100);
    const pad = floor.start();
    timer.advance(300);
    await pad();
    expect(timer.sleeps).toEqual([]);
  });

  it('PASSWORD_FAILURE_FLOOR_MS raises the floor above the estimate', async () => {
    const timer = fakeTimer();
    const floor = createFailureFloor({ minimumMs: 400, timer });
    floor.record(100);
    const pad = floor.start();
    await pad();
    expect(timer.sleeps).toEqual([400]);
  });

  it('follows the bcrypt time as it changes (EWMA)', () => {
    const floor = createFailureFloor({ minimumMs: 0, timer: fakeTimer() });
    floor.record(100);
    for (let i = 0; i < 30; i += 1) floor.record(300);
    expect(floor.estimateMs()).toBeGreaterThan(290);
    expect(floor.estimateMs()).toBeLessThanOrEqual(300);
  });

  it('the hasher seeds the estimate from its own dummy bcrypt and feeds it with every dummy check', async () => {
    // Every reading of this clock moves it 250 ms on: each timed bcrypt "takes" 250 ms.
    let clock = 0;
    let step = 250;
    const sleeps: number[] = [];
    const timer: FloorTimer = {
      now: () => (clock += step),
      async sleep(ms) {
        sleeps.push(ms);
      },
    };
    const hasher = await createPasswordHasher({ cost: 4, timer });
    await hasher.seeded();
    expect(hasher.bcryptEstimateMs()).toBe(250); // seeded: the dummy hash and two dummy checks
    step = 400;
    for (let i = 0; i < 30; i += 1) await hasher.verifyAgainstDummy('x');
    expect(hasher.bcryptEstimateMs()).toBeGreaterThan(390);
    step = 0; // a failure that took no time at all waits for the whole estimate
    await hasher.startFailureFloor()();
    expect(sleeps).toHaveLength(1);
    expect(sleeps[0]).toBeCloseTo(hasher.bcryptEstimateMs(), 6);
  });

  it('a failure answered while the hasher is still seeding is padded by the seeded estimate', async () => {
    // Every reading of this clock moves it 250 ms on, so every timed bcrypt "takes" time.
    let clock = 0;
    const timer: FloorTimer = { now: () => (clock += 250), sleep: async () => undefined };
    const hasher = await createPasswordHasher({ cost: 4, timer });
    // Started at once: before the dummy hash and its two checks have recorded anything.
    const pad = hasher.startFailureFloor();
    expect(hasher.bcryptEstimateMs()).toBe(0);
    const order: string[] = [];
    await Promise.all([
      hasher.seeded().then(() => order.push('seeded')),
      pad().then(() => order.push('padded')),
    ]);
    // Not answered with the empty estimate's zero pad while bcrypt was still being timed.
    expect(order).toEqual(['seeded', 'padded']);
    expect(hasher.bcryptEstimateMs()).toBeGreaterThan(0);
  });
});
