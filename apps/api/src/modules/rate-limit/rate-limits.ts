import { createHash } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { clientAddressKey } from './client-address.js';
import type { CounterRule, CounterStore } from './rate-limit-store.js';

export interface RateLimitPolicy {
  enabled: boolean;
  signInAccountIp: CounterRule;
  signInFreeAttempts: number;
  signInDelayMs: number;
  signInMaxDelayMs: number;
  signInIp: CounterRule;
  mailAddress: CounterRule;
  mailIp: CounterRule;
  registerIp: CounterRule;
  refreshIp: CounterRule;
  verifyTokenIp: CounterRule;
  requestsIp: CounterRule;
  ipv6Prefix: number;
}

/** Over a limit: how many seconds until the next try can pass. */
export type Refusal = { allowed: false; retryAfterSeconds: number };
export type Verdict = { allowed: true } | Refusal;

/** A sign-in that may go ahead: wait `delayMs` first; report a success (failures are counted already). */
export interface SignInAttempt {
  allowed: true;
  delayMs: number;
  succeeded(): Promise<void>;
}

const ALLOWED: Verdict = { allowed: true };

/** Logins and addresses are personal data: counters are keyed by a digest, never the text. */
function digest(value: string): string {
  return createHash('sha256').update(value.trim().toLowerCase()).digest('base64url').slice(0, 22);
}

function worst(verdicts: Verdict[]): Verdict {
  const refusals = verdicts.filter((verdict): verdict is Refusal => !verdict.allowed);
  if (refusals.length === 0) return ALLOWED;
  return { allowed: false, retryAfterSeconds: Math.max(...refusals.map((r) => r.retryAfterSeconds)) };
}

/**
 * The API's rate limits. They slow and stop guessing without ever locking an account for its owner:
 * sign-in attempts are counted per account *and client address*, so an attacker elsewhere cannot
 * spend the owner's allowance, and the owner's next success clears the count. Mail is counted per
 * recipient address (whether or not an account has it, so the answer tells nothing) and per client.
 */
export function createRateLimits(policy: RateLimitPolicy, store: CounterStore) {
  const counters = {
    signInAccountIp: store.counter('sign-in-account-ip', policy.signInAccountIp),
    signInIp: store.counter('sign-in-ip', policy.signInIp),
    mailAddress: store.counter('mail-address', policy.mailAddress),
    mailIp: store.counter('mail-ip', policy.mailIp),
    registerIp: store.counter('register-ip', policy.registerIp),
    refreshIp: store.counter('refresh-ip', policy.refreshIp),
    verifyTokenIp: store.counter('verify-token-ip', policy.verifyTokenIp),
    requestsIp: store.counter('requests-ip', policy.requestsIp),
  };
  const client = (ip: string | null) => clientAddressKey(ip, policy.ipv6Prefix);

  async function consume(counter: keyof typeof counters, key: string): Promise<Verdict> {
    if (!policy.enabled) return ALLOWED;
    const result = await counters[counter].consume(key);
    return result.allowed ? ALLOWED : { allowed: false, retryAfterSeconds: result.retryAfterSeconds };
  }

  /** Doubling wait once the free attempts are used: 0, …, 0, d, 2d, 4d, … up to the maximum. */
  function delayFor(attempt: number): number {
    const over = attempt - policy.signInFreeAttempts;
    if (over <= 0 || policy.signInDelayMs === 0) return 0;
    return Math.min(policy.signInMaxDelayMs, policy.signInDelayMs * 2 ** Math.min(over - 1, 20));
  }

  return {
    /**
     * Called before the password is checked. `account` names the account the same way for every
     * spelling of its login (its id when it exists), so case or username/email games gain nothing.
     */
    async signIn(account: string, ip: string | null): Promise<SignInAttempt | Refusal> {
      if (!policy.enabled) {
        return { allowed: true, delayMs: 0, succeeded: async () => {} };
      }
      const accountKey = `${digest(account)}:${client(ip)}`;
      const ipKey = client(ip);
      // Both count the attempt up front (atomic: parallel guesses cannot slip past the check).
      const [perAccount, perIp] = await Promise.all([
        counters.signInAccountIp.consume(accountKey),
        counters.signInIp.consume(ipKey),
      ]);
      if (!perAccount.allowed || !perIp.allowed) {
        const verdict = worst([
          perAccount.allowed ? ALLOWED : { allowed: false, retryAfterSeconds: perAccount.retryAfterSeconds },
          perIp.allowed ? ALLOWED : { allowed: false, retryAfterSeconds: perIp.retryAfterSeconds },
        ]);
        return verdict as Refusal;
      }
      return {
        allowed: true,
        delayMs: delayFor(perAccount.consumed),
        async succeeded() {
          // The owner is back: their count starts over; the address only counts failures.
          await Promise.all([counters.signInAccountIp.reset(accountKey), counters.signInIp.reward(ipKey)]);
        },
      };
    },

    /** Every operation that sends mail to `address`. */
    async mail(address: string, ip: string | null): Promise<Verdict> {
      return worst(
        await Promise.all([consume('mailAddress', digest(address)), consume('mailIp', client(ip))]),
      );
    },
    register: (ip: string | null) => consume('registerIp', client(ip)),
    refresh: (ip: string | null) => consume('refreshIp', client(ip)),
    verifyToken: (ip: string | null) => consume('verifyTokenIp', client(ip)),
    /** The ceiling on every /graphql request of one client. */
    request: (ip: string | null) => consume('requestsIp', client(ip)),
    /** Waits out a sign-in delay (real time: the client is the one kept waiting). */
    wait: (ms: number) => (ms > 0 ? sleep(ms) : Promise.resolve()),
  };
}

export type RateLimits = ReturnType<typeof createRateLimits>;
