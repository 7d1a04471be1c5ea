import { hash, verify } from '@node-rs/bcrypt';
import type { Logger } from '../../logger.js';
import { bcryptCostOf, sha256Hex } from './django-hashers/bcrypt.js';
import { type DjangoScheme, isProblem } from './django-hashers/django-hash.js';
import { parseDjangoHash } from './django-hashers/identify.js';
import { createFailureFloor, type FailureFloor, type FloorTimer } from './failure-floor.js';
import { createHashLimiter, type HashLimits } from './hash-limiter.js';
import type { PasswordUpgradeStore } from './password-upgrades.js';

export { HasherBusyError } from './hash-limiter.js';

/** What a stored hash is: the project's own bcrypt, a Django scheme, or something unverifiable. */
export type StoredScheme = 'bcrypt' | DjangoScheme | 'unverifiable';

export interface PasswordVerification {
  ok: boolean;
  /** The hash is not the project's scheme at the configured cost: rehash after a success. */
  needsUpgrade: boolean;
  scheme: StoredScheme;
}

/**
 * Hashes and checks passwords. A port so tests can use a low bcrypt cost. `hash`, `verify` and
 * `verifyAgainstDummy` reject with `HasherBusyError` when bcrypt's capacity and waiting line are full.
 */
export interface PasswordHasher {
  /** bcrypt at the configured cost; `bcrypt_sha256` (Django's format) over 72 UTF-8 bytes. */
  hash(password: string): Promise<string>;
  /** Dispatches on the stored string's prefix: `$2…` is bcrypt, Django's formats by their name. */
  verify(password: string, passwordHash: string, userId?: number): Promise<PasswordVerification>;
  /**
   * Spends the same time as a real `verify` for a user that does not exist, so that an unknown
   * login and a wrong password cannot be told apart by timing.
   */
  verifyAgainstDummy(password: string): Promise<false>;
  /** Starts timing one attempt; on failure, await the returned function (the failure floor). */
  startFailureFloor(): () => Promise<void>;
  /**
   * Rehashes after a successful verification, compare-and-set against `oldHash`. Not a password
   * change. Never throws: a lost race or a database error is logged and the sign-in goes on.
   */
  upgrade(userId: number, oldHash: string, password: string, from: StoredScheme): Promise<boolean>;
  /** The running estimate of one bcrypt verification here, in ms (seeded once `seeded()` resolves). */
  bcryptEstimateMs(): number;
  /** Resolves once the dummy hash exists and has seeded the estimate (rejects if bcrypt failed). */
  seeded(): Promise<void>;
}

export interface PasswordHasherOptions {
  cost: number;
  logger?: Logger;
  /** PASSWORD_FAILURE_FLOOR_MS: a minimum for the failure floor; 0 = the bcrypt estimate only. */
  failureFloorMs?: number;
  timer?: FloorTimer;
  /** Where rehashes are written; without one, `upgrade` is a no-op (CLI commands that never sign in). */
  upgrades?: PasswordUpgradeStore;
  /** At most this many bcrypt jobs at once, this many waiting, this long (see hash-limiter.ts); default unbounded. */
  limits?: HashLimits;
}

const UNBOUNDED: HashLimits = { concurrency: Number.POSITIVE_INFINITY, queueSize: 0, maxWaitMs: 0 };

const BCRYPT_MAX_BYTES = 72;

export async function createPasswordHasher(options: PasswordHasherOptions): Promise<PasswordHasher> {
  const { cost, logger } = options;
  const floor: FailureFloor = createFailureFloor({
    minimumMs: options.failureFloorMs ?? 0,
    timer: options.timer,
  });
  // Every bcrypt job goes through the limiter; the floor times the job itself, not its wait in line.
  const limiter = createHashLimiter(options.limits ?? UNBOUNDED);
  // A hash of a random value at the configured cost: verifying against it costs what a real check
  // does. Its creation and two verifications seed the failure floor's estimate: three bcrypt jobs,
  // about 0.7 s at cost 12, done while the server starts rather than before it (the warm start's
  // largest wait). Whatever needs the hash or the seeded estimate waits for them.
  const dummyHash = floor.time(() => hash(crypto.randomUUID(), { cost }));
  const dummyVerify = async (password: string) => {
    const against = await dummyHash;
    return limiter.run(() => floor.time(() => verify(password, against)));
  };
  const seeded = (async () => {
    await dummyVerify('seed-1');
    await dummyVerify('seed-2');
  })();
  // Reported by whoever awaits it (a sign-in, seeded()), not as an unhandled rejection meanwhile.
  seeded.catch(() => undefined);

  async function hashPassword(password: string): Promise<string> {
    // Plain bcrypt reads 72 bytes: any longer password would match everything sharing its start.
    if (Buffer.byteLength(password, 'utf8') > BCRYPT_MAX_BYTES) {
      return `bcrypt_sha256$${await limiter.run(() => hash(sha256Hex(password), { cost }))}`;
    }
    return limiter.run(() => hash(password, { cost }));
  }

  async function verifyPassword(
    password: string,
    stored: string,
    userId?: number,
  ): Promise<PasswordVerification> {
    const nativeCost = bcryptCostOf(stored);
    if (nativeCost !== null) {
      const work = () => verify(password, stored).catch(() => false);
      const ok = await limiter.run(() => (nativeCost === cost ? floor.time(work) : work()));
      return { ok, needsUpgrade: nativeCost !== cost, scheme: 'bcrypt' };
    }
    const parsed = stored.startsWith('!') || stored === '' ? null : parseDjangoHash(stored);
    if (parsed === null || isProblem(parsed)) {
      logger?.warn(
        { userId, problem: parsed?.problem ?? 'unusable' },
        'stored password hash cannot be verified; answering as a wrong password',
      );
      await dummyVerify(password);
      return { ok: false, needsUpgrade: false, scheme: 'unverifiable' };
    }
    const ok = await parsed.verify(password);
    // Django's bcrypt formats at the configured cost count as native (bcrypt_sha256 is our own >72 form).
    const native = parsed.bcryptCost === cost;
    return { ok, needsUpgrade: !native, scheme: parsed.scheme };
  }

  return {
    hash: hashPassword,
    verify: verifyPassword,
    async verifyAgainstDummy(password) {
      await dummyVerify(password);
      return false;
    },
    startFailureFloor() {
      const elapsed = floor.start();
      // A failure answered before the estimate is seeded would be padded by too little.
      return async () => {
        await seeded;
        await elapsed();
      };
    },
    bcryptEstimateMs: () => floor.estimateMs(),
    seeded: () => seeded,
    async upgrade(userId, oldHash, password, from) {
      if (!options.upgrades) return false;
      try {
        const newHash = await hashPassword(password);
        const to = newHash.startsWith('bcrypt_sha256$') ? 'bcrypt_sha256' : 'bcrypt';
        const replaced = await options.upgrades.replace(userId, oldHash, newHash, { from, to });
        if (!replaced) logger?.warn({ userId }, 'password rehash skipped: the password changed meanwhile');
        return replaced;
      } catch (error) {
        logger?.warn(
          { userId, err: error instanceof Error ? error.message : String(error) },
          'password rehash failed',
        );
        return false;
      }
    },
  };
}

/** The project's hasher with defaults: bcrypt at `cost`, no rehash store (CLI commands). */
export function createBcryptHasher(cost: number): Promise<PasswordHasher> {
  return createPasswordHasher({ cost });
}
