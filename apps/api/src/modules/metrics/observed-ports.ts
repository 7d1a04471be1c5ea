import type { Metrics } from './metrics.js';

/** The hasher port as far as metrics care (structural: this leaf imports no feature module). */
interface Hasher {
  hash(password: string): Promise<string>;
  // The answer passes through untouched (a boolean, or the hasher port's verification result).
  verify(password: string, passwordHash: string, userId?: number): Promise<unknown>;
  verifyAgainstDummy(password: string): Promise<false>;
}

async function timed<T>(histogram: Metrics['passwordHash'], work: () => Promise<T>): Promise<T> {
  const stop = histogram.startTimer();
  try {
    return await work();
  } finally {
    stop();
  }
}

/** The same hasher, timing every hash and verify (the dummy verify of unknown logins included). */
export function measuredHasher<H extends Hasher>(hasher: H, metrics: Metrics): H {
  return {
    ...hasher,
    hash: (password) => timed(metrics.passwordHash, () => hasher.hash(password)),
    verify: (password, passwordHash, userId) =>
      timed(metrics.passwordVerify, () => hasher.verify(password, passwordHash, userId)),
    verifyAgainstDummy: (password) =>
      timed(metrics.passwordVerify, () => hasher.verifyAgainstDummy(password)),
  };
}

interface Mailer {
  send(message: never): Promise<void>;
}

/** The same mailer, counting messages the transport accepted and those it refused. */
export function countedMailer<M extends Mailer>(mailer: M, metrics: Metrics): M {
  return {
    ...mailer,
    async send(message: Parameters<M['send']>[0]) {
      try {
        await mailer.send(message);
        metrics.mail.inc({ outcome: 'sent' });
      } catch (error) {
        metrics.mail.inc({ outcome: 'failed' });
        throw error;
      }
    },
  };
}

interface RefreshRotation {
  rotate(...args: never[]): Promise<{ status: string; retried?: boolean }>;
}

/** The same refresh tokens, counting how each presentation ended. Reuse is also its own event. */
export function countedRefreshes<R extends RefreshRotation>(refreshTokens: R, metrics: Metrics): R {
  return {
    ...refreshTokens,
    async rotate(...args: Parameters<R['rotate']>) {
      const outcome = await refreshTokens.rotate(...args);
      const label =
        outcome.status === 'rotated' ? (outcome.retried ? 'grace_replay' : 'rotated') : outcome.status;
      if (label === 'rotated' || label === 'grace_replay' || label === 'expired' || label === 'invalid')
        metrics.refreshes.inc({ outcome: label });
      return outcome;
    },
  };
}

interface SignInRecorder<Em, Meta, Attempt extends { ok: boolean }> {
  recordSignIn(em: Em, meta: Meta, attempt: Attempt): Promise<void>;
}

/** The same audit log, counting the sign-in attempts it records (success and failure alike). */
export function countedSignIns<
  Em,
  Meta,
  Attempt extends { ok: boolean; reason?: string },
  A extends SignInRecorder<Em, Meta, Attempt>,
>(audit: A & SignInRecorder<Em, Meta, Attempt>, metrics: Metrics): A {
  return {
    ...audit,
    async recordSignIn(em: Em, meta: Meta, attempt: Attempt) {
      await audit.recordSignIn(em, meta, attempt);
      const outcome = attempt.ok ? 'ok' : attempt.reason === 'rate_limited' ? 'rate_limited' : 'failed';
      metrics.signIns.inc({ outcome });
    },
  };
}
