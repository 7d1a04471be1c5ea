import { createHmac, randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Clock, createManualClock } from '../base/clock.js';
import { createRefreshTokens } from './refresh-tokens.js';
import {
  digestToken,
  type NewRefreshToken,
  REFRESH_TOKEN_ID_LENGTH,
  type RefreshTokenRecord,
  refreshTokenId,
  type TokenStore,
} from './token-store.js';

export interface TokenStoreContractContext {
  store: TokenStore;
  /** Creates a user the store may reference and returns its id. */
  createUser(): Promise<number>;
  teardown(): Promise<void>;
}

const MINUTE = 60_000;

/** The family a refresh token names (its first 16 bytes, a UUID). */
function familyOf(token: string): string {
  const hex = Buffer.from(token.slice(3), 'base64url').subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/**
 * The application clock runs on time, 30 days behind and 30 days ahead of the real one (Redis' and
 * PostgreSQL's): every behaviour must be the same in all three, because a store may only compare
 * application dates with application dates and hand the backing service durations.
 */
const CLOCK_SKEWS: ReadonlyArray<readonly [string, number]> = [
  ['no clock skew', 0],
  ['application clock 30 days behind', -30 * DAY],
  ['application clock 30 days ahead', 30 * DAY],
];

/**
 * The behaviour every TokenStore must have. Time is injected through `now`, never slept through.
 * Times are anchored at the application clock (`t0`, the real time plus the skew of the run): a
 * token is "expired" in these tests because the injected `now` is past its expiry, not because the
 * wall clock is. `setup` builds the store on the skewed application clock it is given.
 */
export function describeTokenStoreContract(
  name: string,
  setup: (clock: Clock) => Promise<TokenStoreContractContext>,
): void {
  for (const [skewName, skewMs] of CLOCK_SKEWS) {
    describeContractRun(`${name}, ${skewName}`, skewMs, setup);
  }
}

function describeContractRun(
  name: string,
  skewMs: number,
  setup: (clock: Clock) => Promise<TokenStoreContractContext>,
): void {
  describe(`TokenStore contract: ${name}`, () => {
    let ctx: TokenStoreContractContext;
    let store: TokenStore;
    // The store's own clock follows real time from the skewed start, as a server's clock would.
    const skewedClock: Clock = { now: () => new Date(Date.now() + skewMs) };
    const t0 = skewedClock.now().getTime();
    const at = (offsetMs: number) => new Date(t0 + offsetMs);

    beforeAll(async () => {
      ctx = await setup(skewedClock);
      store = ctx.store;
    });
    afterAll(async () => {
      await ctx?.teardown();
    });

    const newDigest = () => digestToken(`rt_${randomBytes(32).toString('base64url')}`);
    const newFamily = () => randomBytes(12).toString('hex');

    async function saveToken(overrides: Partial<NewRefreshToken> & { userId: number }) {
      const token: NewRefreshToken = {
        digest: newDigest(),
        familyId: newFamily(),
        createdAt: at(0),
        expiresAt: at(7 * DAY),
        userAgent: null,
        ip: null,
        ...overrides,
      };
      await store.save(token);
      return token;
    }

    const digests = (records: RefreshTokenRecord[]) => records.map((r) => r.digest);

    it('answers ping', async () => {
      await expect(store.ping()).resolves.toBeUndefined();
    });

    it('saves and finds a record with every field', async () => {
      const userId = await ctx.createUser();
      const token = await saveToken({
        userId,
        createdAt: at(1234),
        expiresAt: at(7 * DAY + 567),
        userAgent: 'Mozilla/5.0 (X11; Linux x86_64)',
        ip: '203.0.113.7',
      });
      expect(await store.find(token.digest)).toEqual<RefreshTokenRecord>({
        ...token,
        familyCreatedAt: token.createdAt,
        lastUsedAt: null,
        revokedAt: null,
        rotatedAt: null,
        successorDigest: null,
      });
    });

    it('keeps null and empty optional fields apart', async () => {
      const userId = await ctx.createUser();
      const token = await saveToken({ userId, userAgent: '', ip: null });
      const found = await store.find(token.digest);
      expect(found?.userAgent).toBe('');
      expect(found?.ip).toBeNull();
    });

    it('finds nothing for an unknown digest', async () => {
      expect(await store.find(newDigest())).toBeNull();
    });

    it('touch sets lastUsedAt and ignores unknown digests', async () => {
      const userId = await ctx.createUser();
      const token = await saveToken({ userId });
      await store.touch(token.digest, at(5 * MINUTE));
      expect((await store.find(token.digest))?.lastUsedAt).toEqual(at(5 * MINUTE));

      const unknown = newDigest();
      await store.touch(unknown, at(5 * MINUTE));
      expect(await store.find(unknown)).toBeNull();
    });

    describe('rotate', () => {
      it('rotates a live token once and reports the successor afterwards', async () => {
        const userId = await ctx.createUser();
        const token = await saveToken({ userId });
        const successor = newDigest();

        const first = await store.rotate(token.digest, successor, at(MINUTE));
        expect(first.status).toBe('rotated');
        if (first.status !== 'rotated') return;
        expect(first.record).toMatchObject({ rotatedAt: at(MINUTE), successorDigest: successor });

        const again = await store.rotate(token.digest, newDigest(), at(2 * MINUTE));
        // No successor record was given, so none exists to report.
        expect(again).toEqual({ status: 'already_rotated', record: first.record, successor: null });
      });

      it('reports the successor’s current state with already_rotated (one atomic read)', async () => {
        const userId = await ctx.createUser();
        const token = await saveToken({ userId });
        const successor = newDigest();
        const meta = { expiresAt: at(8 * DAY), userAgent: null, ip: null };
        await store.rotate(token.digest, successor, at(MINUTE), meta);

        const unused = await store.rotate(token.digest, newDigest(), at(2 * MINUTE), meta);
        expect(unused.status).toBe('already_rotated');
        if (unused.status !== 'already_rotated') return;
        expect(unused.successor).toMatchObject({ digest: successor, rotatedAt: null, revokedAt: null });

        await store.rotate(successor, newDigest(), at(3 * MINUTE), meta);
        const used = await store.rotate(token.digest, newDigest(), at(4 * MINUTE), meta);
        if (used.status !== 'already_rotated') throw new Error(`unexpected ${used.status}`);
        expect(used.successor).toMatchObject({ digest: successor, rotatedAt: at(3 * MINUTE) });
      });

      it('lets exactly one of 50 concurrent callers win', async () => {
        const userId = await ctx.createUser();
        const token = await saveToken({ userId });
        const successors = Array.from({ length: 50 }, () => newDigest());

        const results = await Promise.all(successors.map((s) => store.rotate(token.digest, s, at(MINUTE))));

        const winners = results.filter((r) => r.status === 'rotated');
        expect(winners).toHaveLength(1);
        const winner = winners[0];
        if (winner?.status !== 'rotated') throw new Error('no winner');
        const winningSuccessor = winner.record.successorDigest;
        expect(successors).toContain(winningSuccessor);
        for (const r of results) {
          if (r === winner) continue;
          expect(r.status).toBe('already_rotated');
          if (r.status === 'already_rotated') {
            expect(r.record.successorDigest).toBe(winningSuccessor);
            expect(r.record.rotatedAt).toEqual(at(MINUTE));
          }
        }
        expect((await store.find(token.digest))?.successorDigest).toBe(winningSuccessor);
      });

      it('saves the successor atomically with the winning rotation, inheriting the family', async () => {
        const userId = await ctx.createUser();
        const token = await saveToken({
          userId,
          familyCreatedAt: at(-DAY),
          userAgent: 'old',
          ip: '10.0.0.1',
        });
        const successor = newDigest();
        const meta = { expiresAt: at(8 * DAY), userAgent: 'Firefox', ip: '10.0.0.2' };

        const result = await store.rotate(token.digest, successor, at(MINUTE), meta);
        expect(result.status).toBe('rotated');
        if (result.status === 'rotated') expect(result.record.lastUsedAt).toEqual(at(MINUTE));
        expect(await store.find(successor)).toEqual<RefreshTokenRecord>({
          digest: successor,
          userId,
          familyId: token.familyId,
          familyCreatedAt: at(-DAY),
          createdAt: at(MINUTE),
          lastUsedAt: null,
          expiresAt: at(8 * DAY),
          revokedAt: null,
          rotatedAt: null,
          successorDigest: null,
          userAgent: 'Firefox',
          ip: '10.0.0.2',
        });
        expect(digests(await store.listForUser(userId, at(MINUTE)))).toContain(successor);

        // Losers and refused rotations save nothing.
        const loser = newDigest();
        expect((await store.rotate(token.digest, loser, at(2 * MINUTE), meta)).status).toBe(
          'already_rotated',
        );
        expect(await store.find(loser)).toBeNull();
        const expired = await saveToken({ userId, expiresAt: at(HOUR) });
        await store.rotate(expired.digest, loser, at(2 * HOUR), { ...meta, userAgent: null, ip: null });
        expect(await store.find(loser)).toBeNull();

        // A later revokeFamily reaches the successor through the family index.
        expect(await store.revokeFamily(token.familyId, at(3 * MINUTE))).toBe(2);
        expect((await store.find(successor))?.revokedAt).toEqual(at(3 * MINUTE));
      });

      it('saves exactly one successor when 50 callers race with the same successor digest', async () => {
        const userId = await ctx.createUser();
        const token = await saveToken({ userId });
        const successor = newDigest();
        const meta = { expiresAt: at(8 * DAY), userAgent: null, ip: null };
        const results = await Promise.all(
          Array.from({ length: 50 }, () => store.rotate(token.digest, successor, at(MINUTE), meta)),
        );
        expect(results.filter((r) => r.status === 'rotated')).toHaveLength(1);
        expect(results.filter((r) => r.status === 'already_rotated')).toHaveLength(49);
        expect((await store.find(successor))?.familyId).toBe(token.familyId);
        expect(digests(await store.listForUser(userId, at(MINUTE))).sort()).toEqual(
          [token.digest, successor].sort(),
        );
      });

      it('reports expired tokens without rotating them', async () => {
        const userId = await ctx.createUser();
        const token = await saveToken({ userId, expiresAt: at(HOUR) });

        const atExpiry = await store.rotate(token.digest, newDigest(), at(HOUR));
        expect(atExpiry.status).toBe('expired');
        const later = await store.rotate(token.digest, newDigest(), at(2 * HOUR));
        expect(later.status).toBe('expired');
        if (later.status === 'expired') expect(later.record.digest).toBe(token.digest);
        expect((await store.find(token.digest))?.rotatedAt).toBeNull();
      });

      it('reports revoked tokens, even rotated ones', async () => {
        const userId = await ctx.createUser();
        const token = await saveToken({ userId });
        await store.revoke(token.digest, at(MINUTE));
        const result = await store.rotate(token.digest, newDigest(), at(2 * MINUTE));
        expect(result.status).toBe('revoked');
        if (result.status === 'revoked') expect(result.record.revokedAt).toEqual(at(MINUTE));

        const rotated = await saveToken({ userId });
        await store.rotate(rotated.digest, newDigest(), at(MINUTE));
        await store.revoke(rotated.digest, at(2 * MINUTE));
        expect((await store.rotate(rotated.digest, newDigest(), at(3 * MINUTE))).status).toBe('revoked');
      });

      it('prefers expired over already_rotated', async () => {
        const userId = await ctx.createUser();
        const token = await saveToken({ userId, expiresAt: at(HOUR) });
        await store.rotate(token.digest, newDigest(), at(MINUTE));
        expect((await store.rotate(token.digest, newDigest(), at(2 * HOUR))).status).toBe('expired');
      });

      it('reports unknown tokens as not_found', async () => {
        expect(await store.rotate(newDigest(), newDigest(), at(MINUTE))).toEqual({
          status: 'not_found',
        });
      });
    });

    describe('revocation', () => {
      it('revoke is idempotent and keeps the first revokedAt', async () => {
        const userId = await ctx.createUser();
        const token = await saveToken({ userId });

        const first = await store.revoke(token.digest, at(MINUTE));
        expect(first).toMatchObject({ digest: token.digest, revokedAt: at(MINUTE) });
        const second = await store.revoke(token.digest, at(2 * MINUTE));
        expect(second).toEqual(first);
        expect((await store.find(token.digest))?.revokedAt).toEqual(at(MINUTE));
      });

      it('revoke of an unknown digest returns null and creates nothing', async () => {
        const unknown = newDigest();
        expect(await store.revoke(unknown, at(MINUTE))).toBeNull();
        expect(await store.find(unknown)).toBeNull();
      });

      it('revokeFamily revokes the whole family, rotated members included, and counts new ones', async () => {
        const userId = await ctx.createUser();
        const familyId = newFamily();
        const a = await saveToken({ userId, familyId });
        const b = await saveToken({ userId, familyId, createdAt: at(MINUTE) });
        const c = await saveToken({ userId, familyId, createdAt: at(2 * MINUTE) });
        await store.rotate(a.digest, b.digest, at(MINUTE));
        await store.revoke(c.digest, at(2 * MINUTE));
        const otherFamily = await saveToken({ userId });

        expect(await store.revokeFamily(familyId, at(3 * MINUTE))).toBe(2);
        expect((await store.find(a.digest))?.revokedAt).toEqual(at(3 * MINUTE));
        expect((await store.find(b.digest))?.revokedAt).toEqual(at(3 * MINUTE));
        expect((await store.find(c.digest))?.revokedAt).toEqual(at(2 * MINUTE));
        expect((await store.find(otherFamily.digest))?.revokedAt).toBeNull();

        expect(await store.revokeFamily(familyId, at(4 * MINUTE))).toBe(0);
        expect(await store.revokeFamily(newFamily(), at(4 * MINUTE))).toBe(0);
      });

      it('revokeAllForUser revokes only that user and counts new ones', async () => {
        const userId = await ctx.createUser();
        const otherUser = await ctx.createUser();
        const mine = [await saveToken({ userId }), await saveToken({ userId }), await saveToken({ userId })];
        const theirs = await saveToken({ userId: otherUser });
        await store.revoke(mine[0]?.digest ?? '', at(MINUTE));

        expect(await store.revokeAllForUser(userId, at(2 * MINUTE))).toBe(2);
        for (const t of mine) expect((await store.find(t.digest))?.revokedAt).not.toBeNull();
        expect((await store.find(mine[0]?.digest ?? ''))?.revokedAt).toEqual(at(MINUTE));
        expect((await store.find(mine[1]?.digest ?? ''))?.revokedAt).toEqual(at(2 * MINUTE));
        expect((await store.find(theirs.digest))?.revokedAt).toBeNull();

        expect(await store.revokeAllForUser(userId, at(3 * MINUTE))).toBe(0);
      });

      it('revokeMany revokes the listed tokens and counts new ones', async () => {
        const userId = await ctx.createUser();
        const otherUser = await ctx.createUser();
        const a = await saveToken({ userId });
        const b = await saveToken({ userId: otherUser });
        const c = await saveToken({ userId });
        const untouched = await saveToken({ userId });
        await store.revoke(c.digest, at(MINUTE));

        const listed = [a.digest, b.digest, c.digest, a.digest, newDigest()];
        expect(await store.revokeMany(listed, at(2 * MINUTE))).toBe(2);
        expect((await store.find(a.digest))?.revokedAt).toEqual(at(2 * MINUTE));
        expect((await store.find(b.digest))?.revokedAt).toEqual(at(2 * MINUTE));
        expect((await store.find(c.digest))?.revokedAt).toEqual(at(MINUTE));
        expect((await store.find(untouched.digest))?.revokedAt).toBeNull();
        expect(await store.revokeMany([], at(3 * MINUTE))).toBe(0);
      });
    });

    describe('isFamilyLive', () => {
      it('is true while the family has a current token, false once it is revoked, rotated away or expired', async () => {
        const userId = await ctx.createUser();
        const familyId = newFamily();
        const first = await saveToken({ userId, familyId });
        expect(await store.isFamilyLive(familyId, at(MINUTE))).toBe(true);

        // Rotation hands the session to the successor: still live.
        const second = newDigest();
        await store.rotate(first.digest, second, at(MINUTE), {
          expiresAt: at(7 * DAY + MINUTE),
          userAgent: null,
          ip: null,
        });
        expect(await store.isFamilyLive(familyId, at(2 * MINUTE))).toBe(true);
        // Past the first token's expiry the successor still carries it; past the successor's, nothing does.
        expect(await store.isFamilyLive(familyId, at(7 * DAY + 1))).toBe(true);
        expect(await store.isFamilyLive(familyId, at(7 * DAY + MINUTE))).toBe(false);

        // Revoking the current token ends the session, even though the rotated one is not revoked.
        await store.revoke(second, at(3 * MINUTE));
        expect(await store.isFamilyLive(familyId, at(4 * MINUTE))).toBe(false);
      });

      it('marks the current token used once when an access token issued with it is checked', async () => {
        const userId = await ctx.createUser();
        const familyId = newFamily();
        const first = await saveToken({ userId, familyId });
        const second = newDigest();
        await store.rotate(first.digest, second, at(MINUTE), {
          expiresAt: at(8 * DAY),
          userAgent: null,
          ip: null,
        });
        const id = (digest: string) => digest.slice(0, REFRESH_TOKEN_ID_LENGTH);
        // An access token of the rotated token, a forged short prefix, and none: nothing is marked.
        expect(await store.isFamilyLive(familyId, at(2 * MINUTE), id(first.digest))).toBe(true);
        expect(await store.isFamilyLive(familyId, at(2 * MINUTE), second.slice(0, 4))).toBe(true);
        expect(await store.isFamilyLive(familyId, at(2 * MINUTE))).toBe(true);
        expect((await store.find(second))?.lastUsedAt).toBeNull();
        // The current token's own access token marks it, once.
        expect(await store.isFamilyLive(familyId, at(3 * MINUTE), id(second))).toBe(true);
        expect(await store.isFamilyLive(familyId, at(4 * MINUTE), id(second))).toBe(true);
        expect((await store.find(second))?.lastUsedAt).toEqual(at(3 * MINUTE));
        expect((await store.find(first.digest))?.lastUsedAt).toEqual(at(MINUTE));
      });

      it('is false for a revoked family and an unknown one, and one family does not speak for another', async () => {
        const userId = await ctx.createUser();
        const familyId = newFamily();
        await saveToken({ userId, familyId });
        const other = await saveToken({ userId });
        await store.revokeFamily(familyId, at(MINUTE));
        expect(await store.isFamilyLive(familyId, at(2 * MINUTE))).toBe(false);
        expect(await store.isFamilyLive(other.familyId, at(2 * MINUTE))).toBe(true);
        expect(await store.isFamilyLive(newFamily(), at(2 * MINUTE))).toBe(false);
      });
    });

    describe('listForUser', () => {
      it('lists the user’s unexpired tokens newest first, revoked and rotated included', async () => {
        const userId = await ctx.createUser();
        const otherUser = await ctx.createUser();
        const oldest = await saveToken({ userId, createdAt: at(0) });
        const rotated = await saveToken({ userId, createdAt: at(MINUTE) });
        const revoked = await saveToken({ userId, createdAt: at(2 * MINUTE) });
        const expiring = await saveToken({ userId, createdAt: at(3 * MINUTE), expiresAt: at(HOUR) });
        const newest = await saveToken({ userId, createdAt: at(4 * MINUTE) });
        await saveToken({ userId: otherUser, createdAt: at(5 * MINUTE) });
        await store.rotate(rotated.digest, newDigest(), at(5 * MINUTE));
        await store.revoke(revoked.digest, at(5 * MINUTE));

        const before = await store.listForUser(userId, at(10 * MINUTE));
        expect(digests(before)).toEqual([
          newest.digest,
          expiring.digest,
          revoked.digest,
          rotated.digest,
          oldest.digest,
        ]);
        expect(before.every((r) => r.userId === userId)).toBe(true);
        expect(before.find((r) => r.digest === rotated.digest)?.rotatedAt).toEqual(at(5 * MINUTE));

        const after = await store.listForUser(userId, at(HOUR));
        expect(digests(after)).toEqual([newest.digest, revoked.digest, rotated.digest, oldest.digest]);
      });

      it('returns an empty list for a user without tokens', async () => {
        expect(await store.listForUser(await ctx.createUser(), at(0))).toEqual([]);
      });
    });

    describe('refresh rotation on this store', () => {
      // The service that the API runs on top of the store, on a manual clock started at t0.
      function rotation(options: { replayWindowSeconds?: number; successorKey?: Buffer } = {}) {
        const clock = createManualClock(at(0));
        const reused: unknown[] = [];
        const refreshTokens = createRefreshTokens({
          store,
          clock,
          ttlSeconds: 7 * 24 * 3600,
          graceSeconds: 10,
          replayWindowSeconds: options.replayWindowSeconds,
          successorKey: options.successorKey ?? randomBytes(32),
          events: { emit: async (_name: string, payload: unknown) => void reused.push(payload) },
        });
        return { clock, refreshTokens, reused };
      }
      const meta = { userAgent: 'contract', ip: '127.0.0.1' };
      const rotated = (
        outcome: Awaited<ReturnType<ReturnType<typeof rotation>['refreshTokens']['rotate']>>,
      ) => {
        if (outcome.status !== 'rotated') throw new Error(`expected a rotation, got ${outcome.status}`);
        return outcome;
      };

      it('issues, rotates, answers a retry inside the grace window with the same successor, and keeps the session live', async () => {
        const { clock, refreshTokens } = rotation();
        const issued = await refreshTokens.issue(await ctx.createUser(), meta);
        expect(issued.expiresAt).toEqual(at(7 * DAY));
        expect(await store.isFamilyLive(issued.familyId, clock.now())).toBe(true);

        clock.advance(MINUTE);
        const first = await refreshTokens.rotate(issued.token, meta);
        expect(first).toMatchObject({ status: 'rotated', retried: false, familyId: issued.familyId });
        clock.advance(5_000);
        const retry = await refreshTokens.rotate(issued.token, meta);
        expect(retry).toMatchObject({ status: 'rotated', retried: true });
        if (first.status !== 'rotated' || retry.status !== 'rotated') throw new Error('no rotation');
        expect(retry.token).toBe(first.token);
        expect(await store.isFamilyLive(issued.familyId, clock.now())).toBe(true);

        // The successor lives its full lifetime on the application clock.
        clock.set(at(MINUTE + 7 * DAY - 1));
        expect(await store.isFamilyLive(issued.familyId, clock.now())).toBe(true);
        expect((await refreshTokens.rotate(first.token, meta)).status).toBe('rotated');
      });

      it('revokes the family when a rotated token comes back after its successor was used', async () => {
        const { clock, refreshTokens, reused } = rotation();
        const issued = await refreshTokens.issue(await ctx.createUser(), meta);
        const next = rotated(await refreshTokens.rotate(issued.token, meta));
        clock.advance(11_000);
        const after = rotated(await refreshTokens.rotate(next.token, meta)); // the holder moves on
        clock.advance(MINUTE);
        expect(await refreshTokens.rotate(issued.token, meta)).toEqual({ status: 'invalid' });
        expect(reused).toHaveLength(1);
        expect(await store.isFamilyLive(issued.familyId, clock.now())).toBe(false);
        expect(await refreshTokens.rotate(after.token, meta)).toEqual({ status: 'invalid' });
      });

      it('inside the grace window a used successor is still answered (parallel tabs), after it is reuse', async () => {
        const { clock, refreshTokens, reused } = rotation();
        const issued = await refreshTokens.issue(await ctx.createUser(), meta);
        const next = rotated(await refreshTokens.rotate(issued.token, meta));
        rotated(await refreshTokens.rotate(next.token, meta));
        clock.advance(9_000);
        expect(rotated(await refreshTokens.rotate(issued.token, meta)).token).toBe(next.token);
        expect(reused).toHaveLength(0);
        clock.advance(2_000);
        expect(await refreshTokens.rotate(issued.token, meta)).toEqual({ status: 'invalid' });
        expect(reused).toHaveLength(1);
      });

      describe('an answer lost at each step of a rotation never signs the client out', () => {
        // Each step's loss is what the store holds when the client never hears back; the client
        // retries what it holds, however much later (up to the day before the successor expires).
        const LATE = [11_000, HOUR, 6 * DAY];

        it('lost before the store saw it: the retry is a first rotation', async () => {
          const { clock, refreshTokens } = rotation();
          const issued = await refreshTokens.issue(await ctx.createUser(), meta);
          clock.advance(6 * DAY);
          expect(rotated(await refreshTokens.rotate(issued.token, meta)).retried).toBe(false);
        });

        for (const lateBy of LATE) {
          it(`lost after the store rotated (answer of the store or of the API), retried ${lateBy / MINUTE} min later`, async () => {
            const { clock, refreshTokens, reused } = rotation();
            const issued = await refreshTokens.issue(await ctx.createUser(), meta);
            // The store committed the rotation and the successor; the answer never arrived.
            const lost = rotated(await refreshTokens.rotate(issued.token, meta));
            clock.advance(lateBy);
            const retry = rotated(await refreshTokens.rotate(issued.token, meta));
            expect(retry).toMatchObject({ retried: true, token: lost.token, expiresAt: lost.expiresAt });
            // The retried answer is lost too; a third try still gets the same token.
            clock.advance(MINUTE);
            expect(rotated(await refreshTokens.rotate(issued.token, meta)).token).toBe(lost.token);
            // Once delivered, the successor rotates and the session carries on; nothing was "reuse".
            const onwards = rotated(await refreshTokens.rotate(lost.token, meta));
            expect(onwards.retried).toBe(false);
            expect(reused).toHaveLength(0);
            expect(await store.isFamilyLive(issued.familyId, clock.now())).toBe(true);
          });
        }

        it('lost at the second rotation: the successor answers its own successor, the first token is now reuse', async () => {
          const { clock, refreshTokens, reused } = rotation();
          const issued = await refreshTokens.issue(await ctx.createUser(), meta);
          const second = rotated(await refreshTokens.rotate(issued.token, meta));
          clock.advance(HOUR);
          const lost = rotated(await refreshTokens.rotate(second.token, meta)); // answer lost
          clock.advance(3 * DAY);
          expect(rotated(await refreshTokens.rotate(second.token, meta))).toMatchObject({
            retried: true,
            token: lost.token,
          });
          expect(reused).toHaveLength(0);
          // The second token was used (rotated), so the first one coming back is a copy.
          expect(await refreshTokens.rotate(issued.token, meta)).toEqual({ status: 'invalid' });
          expect(reused).toHaveLength(1);
        });

        it('concurrent retries of a lost rotation all get the same successor', async () => {
          const { clock, refreshTokens, reused } = rotation();
          const issued = await refreshTokens.issue(await ctx.createUser(), meta);
          const lost = rotated(await refreshTokens.rotate(issued.token, meta));
          clock.advance(DAY);
          const retries = await Promise.all(
            Array.from({ length: 10 }, () => refreshTokens.rotate(issued.token, meta)),
          );
          expect(retries.map((r) => rotated(r).token)).toEqual(Array(10).fill(lost.token));
          expect(reused).toHaveLength(0);
        });

        it('a lost answer still ends with the session: logout in between answers invalid, no reuse event', async () => {
          const { clock, refreshTokens, reused } = rotation();
          const issued = await refreshTokens.issue(await ctx.createUser(), meta);
          rotated(await refreshTokens.rotate(issued.token, meta));
          await store.revokeFamily(issued.familyId, clock.now());
          clock.advance(HOUR);
          expect(await refreshTokens.rotate(issued.token, meta)).toEqual({ status: 'invalid' });
          expect(reused).toHaveLength(0);
        });
      });

      it('once the successor’s access token authenticated a request, the predecessor coming back is reuse', async () => {
        const { clock, refreshTokens, reused } = rotation();
        const issued = await refreshTokens.issue(await ctx.createUser(), meta);
        const next = rotated(await refreshTokens.rotate(issued.token, meta));
        clock.advance(HOUR);
        // What the session check of a request with the successor's access token does.
        expect(await store.isFamilyLive(next.familyId, clock.now(), refreshTokenId(next.token))).toBe(true);
        expect(await refreshTokens.rotate(issued.token, meta)).toEqual({ status: 'invalid' });
        expect(reused).toHaveLength(1);
        expect(await refreshTokens.rotate(next.token, meta)).toEqual({ status: 'invalid' });
      });

      it('past a configured replay window an unused successor is no longer handed out: reuse', async () => {
        const { clock, refreshTokens, reused } = rotation({ replayWindowSeconds: 3600 });
        const issued = await refreshTokens.issue(await ctx.createUser(), meta);
        const lost = rotated(await refreshTokens.rotate(issued.token, meta));
        clock.advance(HOUR);
        expect(rotated(await refreshTokens.rotate(issued.token, meta)).token).toBe(lost.token);
        clock.advance(1);
        expect(await refreshTokens.rotate(issued.token, meta)).toEqual({ status: 'invalid' });
        expect(reused).toHaveLength(1);
        expect(await refreshTokens.rotate(lost.token, meta)).toEqual({ status: 'invalid' });
      });

      describe('bounded records per session', () => {
        it('keeps the same few records however often the session rotates', async () => {
          const { clock, refreshTokens, reused } = rotation();
          const userId = await ctx.createUser();
          let token = (await refreshTokens.issue(userId, meta)).token;
          const held: string[] = [token];
          const sizes: number[] = [];
          for (let i = 0; i < 50; i++) {
            clock.advance(11_000); // past the grace window: the chain behind may go
            token = rotated(await refreshTokens.rotate(token, meta)).token;
            held.push(token);
            sizes.push((await store.listForUser(userId, clock.now())).length);
          }
          // The current token, the one rotated into it (a lost answer), and nothing more.
          expect(sizes.slice(2)).toEqual(Array(48).fill(2));
          // A pruned token is still traced to its session: a copy coming back is reuse.
          expect(await refreshTokens.rotate(held[10]!, meta)).toEqual({ status: 'invalid' });
          expect(reused).toHaveLength(1);
          expect(await store.isFamilyLive(familyOf(held[0]!), clock.now())).toBe(false);
          expect(await refreshTokens.rotate(token, meta)).toEqual({ status: 'invalid' });
        });

        it('keeps what the grace window still answers: parallel tabs on rapid rotations', async () => {
          const { clock, refreshTokens, reused } = rotation();
          const userId = await ctx.createUser();
          const first = (await refreshTokens.issue(userId, meta)).token;
          const second = rotated(await refreshTokens.rotate(first, meta)).token;
          const third = rotated(await refreshTokens.rotate(second, meta)).token;
          clock.advance(5_000);
          rotated(await refreshTokens.rotate(third, meta));
          // Rotated 5 s ago, inside the 10 s grace: still answered with its successor.
          expect(rotated(await refreshTokens.rotate(first, meta)).token).toBe(second);
          clock.advance(6_000);
          rotated(await refreshTokens.rotate(rotated(await refreshTokens.rotate(third, meta)).token, meta));
          expect((await store.listForUser(userId, clock.now())).length).toBeLessThanOrEqual(3);
          expect(reused).toHaveLength(0);
          expect(await refreshTokens.rotate(first, meta)).toEqual({ status: 'invalid' });
          expect(reused).toHaveLength(1);
        });

        it('an unknown token naming no live family is just invalid: no reuse, no revocation', async () => {
          const { refreshTokens, reused } = rotation();
          const issued = await refreshTokens.issue(await ctx.createUser(), meta);
          const forged = `rt_${randomBytes(32).toString('base64url')}`;
          expect(await refreshTokens.rotate(forged, meta)).toEqual({ status: 'invalid' });
          await store.revokeFamily(issued.familyId, at(0));
          // Its family is over (logout): a token naming it is no theft sign either.
          const named = `rt_${Buffer.concat([
            Buffer.from(issued.familyId.replaceAll('-', ''), 'hex'),
            randomBytes(16),
          ]).toString('base64url')}`;
          expect(await refreshTokens.rotate(named, meta)).toEqual({ status: 'invalid' });
          expect(reused).toHaveLength(0);
        });

        it('a token from before families were named rotates onto named ones and is never pruned', async () => {
          const { clock, refreshTokens, reused } = rotation();
          const userId = await ctx.createUser();
          const legacy = `rt_${randomBytes(32).toString('base64url')}`;
          const familyId = randomUUID();
          await store.save({
            digest: digestToken(legacy),
            userId,
            familyId,
            createdAt: at(0),
            expiresAt: at(7 * DAY),
            userAgent: null,
            ip: null,
          });
          const next = rotated(await refreshTokens.rotate(legacy, meta));
          expect(next).toMatchObject({ retried: false, familyId });
          expect(familyOf(next.token)).toBe(familyId);
          clock.advance(HOUR); // a lost answer, retried
          expect(rotated(await refreshTokens.rotate(legacy, meta)).token).toBe(next.token);
          let token = next.token;
          for (let i = 0; i < 3; i++) {
            clock.advance(11_000);
            token = rotated(await refreshTokens.rotate(token, meta)).token;
          }
          // The legacy record stays (nothing traces a copy of it otherwise), named ones are pruned.
          const left = await store.listForUser(userId, clock.now());
          expect(left.map((r) => r.digest)).toContain(digestToken(legacy));
          expect(left).toHaveLength(3);
          expect(await refreshTokens.rotate(legacy, meta)).toEqual({ status: 'invalid' });
          expect(reused).toHaveLength(1);
        });

        it('a token rotated before families were named still gets its old successor again', async () => {
          const successorKey = randomBytes(32);
          const { clock, refreshTokens } = rotation({ successorKey });
          const userId = await ctx.createUser();
          const legacy = `rt_${randomBytes(32).toString('base64url')}`;
          const oldSuccessor = `rt_${createHmac('sha256', successorKey).update(legacy).digest('base64url')}`;
          const familyId = randomUUID();
          const base = {
            userId,
            familyId,
            createdAt: at(0),
            expiresAt: at(7 * DAY),
            userAgent: null,
            ip: null,
          };
          await store.save({ ...base, digest: digestToken(legacy) });
          // What the rotation before the change stored: the whole HMAC as the successor.
          expect(
            (await store.rotate(digestToken(legacy), digestToken(oldSuccessor), at(0), base)).status,
          ).toBe('rotated');
          clock.advance(HOUR);
          expect(rotated(await refreshTokens.rotate(legacy, meta))).toMatchObject({
            retried: true,
            token: oldSuccessor,
          });
          const onwards = rotated(await refreshTokens.rotate(oldSuccessor, meta));
          expect(familyOf(onwards.token)).toBe(familyId);
        });
      });

      it('answers expired once the application clock passes the expiry, and the session ends', async () => {
        const { clock, refreshTokens } = rotation();
        const issued = await refreshTokens.issue(await ctx.createUser(), meta);
        clock.set(at(7 * DAY));
        expect(await refreshTokens.rotate(issued.token, meta)).toEqual({ status: 'expired' });
        expect(await store.isFamilyLive(issued.familyId, clock.now())).toBe(false);
      });
    });

    // Last on purpose: deleteExpired is store-wide and also clears what earlier tests left behind.
    describe('deleteExpired', () => {
      it('deletes expired tokens only, and revoked ones only when asked', async () => {
        const userId = await ctx.createUser();
        const expired = await saveToken({ userId, expiresAt: at(2 * DAY) });
        const expiredRevoked = await saveToken({ userId, expiresAt: at(2 * DAY) });
        const revoked = await saveToken({ userId, expiresAt: at(30 * DAY) });
        const rotated = await saveToken({ userId, expiresAt: at(30 * DAY) });
        const live = await saveToken({ userId, expiresAt: at(30 * DAY) });
        await store.revoke(expiredRevoked.digest, at(MINUTE));
        await store.revoke(revoked.digest, at(MINUTE));
        await store.rotate(rotated.digest, newDigest(), at(MINUTE));
        const now = at(3 * DAY);

        // Earlier tests left tokens that are expired by now too, hence "at least".
        expect(await store.deleteExpired(now)).toBeGreaterThanOrEqual(2);
        expect(await store.find(expired.digest)).toBeNull();
        expect(await store.find(expiredRevoked.digest)).toBeNull();
        expect(await store.find(revoked.digest)).not.toBeNull();
        expect(await store.find(rotated.digest)).not.toBeNull();
        expect(await store.find(live.digest)).not.toBeNull();
        expect(await store.deleteExpired(now)).toBe(0);
        expect(digests(await store.listForUser(userId, now)).sort()).toEqual(
          [revoked.digest, rotated.digest, live.digest].sort(),
        );

        expect(await store.deleteExpired(now, { includeRevoked: true })).toBeGreaterThanOrEqual(1);
        expect(await store.find(revoked.digest)).toBeNull();
        expect(await store.find(rotated.digest)).not.toBeNull();
        expect(await store.find(live.digest)).not.toBeNull();
        expect(await store.deleteExpired(now, { includeRevoked: true })).toBe(0);
        expect(digests(await store.listForUser(userId, now)).sort()).toEqual(
          [rotated.digest, live.digest].sort(),
        );
      });
    });
  });
}
