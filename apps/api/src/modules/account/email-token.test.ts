import { describe, expect, it } from 'vitest';
import { testClockStart } from '../../../test/support/test-clock.js';
import {
  checkEmailToken,
  describeDuration,
  type EmailTokenRecord,
  emailLink,
  generateEmailToken,
} from './email-token.js';
import { createLatencyMimic } from './latency-mimic.js';

const now = testClockStart();
const record = (overrides: Partial<EmailTokenRecord> = {}): EmailTokenRecord => ({
  digest: 'd',
  userId: 1,
  purpose: 'password_reset',
  email: null,
  createdAt: new Date(now.getTime() - 1000),
  expiresAt: new Date(now.getTime() + 1000),
  usedAt: null,
  ...overrides,
});

describe('email tokens', () => {
  it('are 32 random bytes, URL-safe, different every time', () => {
    const a = generateEmailToken();
    expect(a).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(generateEmailToken()).not.toBe(a);
  });

  it('put the token in the last path segment of the link', () => {
    expect(emailLink('https://app.example', 'activation', 'tok')).toBe('https://app.example/activate/tok');
    expect(emailLink('https://app.example', 'password_reset', 'tok')).toBe(
      'https://app.example/password-reset/tok',
    );
    expect(emailLink('https://app.example', 'password_set', 'tok')).toBe(
      'https://app.example/password-set/tok',
    );
    expect(emailLink('https://app.example', 'secondary_email', 'tok')).toBe(
      'https://app.example/activate-secondary-email/tok',
    );
  });

  it('classify: unknown or wrong purpose invalid, used before expired, expiry at the instant', () => {
    expect(checkEmailToken(null, 'password_reset', now)).toBe('invalid');
    expect(checkEmailToken(record(), 'activation', now)).toBe('invalid');
    expect(checkEmailToken(record(), 'password_reset', now)).toBe('valid');
    expect(checkEmailToken(record({ expiresAt: now }), 'password_reset', now)).toBe('expired');
    expect(checkEmailToken(record({ usedAt: now, expiresAt: now }), 'password_reset', now)).toBe('used');
  });

  it('describe lifetimes in words', () => {
    expect(describeDuration(604_800)).toBe('7 days');
    expect(describeDuration(3_600)).toBe('1 hour');
    expect(describeDuration(5_400)).toBe('90 minutes');
    expect(describeDuration(61)).toBe('61 seconds');
  });
});

describe('latency mimic', () => {
  it('waits the initial estimate, then durations drawn from real runs', async () => {
    const mimic = createLatencyMimic({ initialMs: 30 });
    let started = performance.now();
    await mimic.imitate(started);
    expect(performance.now() - started).toBeGreaterThanOrEqual(29);
    mimic.record(5);
    started = performance.now();
    await mimic.imitate(started);
    expect(performance.now() - started).toBeLessThan(25);
  });

  it('before any real run, measures one (once, shared by concurrent callers) and waits that long', async () => {
    let measured = 0;
    const mimic = createLatencyMimic({
      initialMs: 1,
      measure: async () => {
        measured += 1;
        await new Promise((resolve) => setTimeout(resolve, 40));
        return 40;
      },
    });
    const started = performance.now();
    await Promise.all([mimic.imitate(started), mimic.imitate(started), mimic.calibrate()]);
    expect(measured).toBe(1);
    const again = performance.now();
    await mimic.imitate(again);
    expect(performance.now() - again).toBeGreaterThanOrEqual(39);
    expect(measured).toBe(1);
  });

  it('a failed measurement falls back to the initial estimate and is tried again by the next caller', async () => {
    let calls = 0;
    const mimic = createLatencyMimic({
      initialMs: 5,
      measure: async () => {
        calls += 1;
        throw new Error('relay down');
      },
    });
    await mimic.imitate(performance.now());
    await mimic.imitate(performance.now());
    expect(calls).toBe(2);
  });
});
