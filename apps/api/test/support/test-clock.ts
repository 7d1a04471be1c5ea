import { createManualClock } from '../../src/modules/base/clock.js';

const DAY_MS = 24 * 3600_000;

/**
 * Where every test clock starts: the real current time, moved by `TEST_CLOCK_OFFSET_DAYS` (`npm test`
 * runs the time-sensitive suites a second time one year ahead). Nothing may start at a calendar
 * date: a fixed "now" drifts away from the clocks of Redis and PostgreSQL until tests fail, and the
 * offset run makes such a date fail today instead of next week.
 */
export function testClockStart(): Date {
  const raw = process.env.TEST_CLOCK_OFFSET_DAYS ?? '0';
  const days = Number(raw);
  if (!Number.isFinite(days)) throw new Error(`TEST_CLOCK_OFFSET_DAYS must be a number of days, got ${raw}`);
  // On a whole second, as JWTs count time: `iat` and the session's start then name the same instant.
  return new Date(Math.floor((Date.now() + days * DAY_MS) / 1000) * 1000);
}

/** A manual clock at `testClockStart()`: tests move it instead of sleeping. */
export function createTestClock(): ReturnType<typeof createManualClock> {
  return createManualClock(testClockStart());
}
