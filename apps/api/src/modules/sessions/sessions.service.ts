import type { Clock } from '../base/clock.js';
import type { AppEventBus, AppEvents } from '../events/app-events.js';
import type { RefreshTokens } from '../tokens/refresh-tokens.js';
import type { RefreshTokenRecord, TokenStore } from '../tokens/token-store.js';
import { coarseIp, summariseUserAgent } from './client-summary.js';

/** A signed-in session: one refresh-token family, from sign-in to sign-out. */
export interface Session {
  id: string;
  created: Date;
  lastUsed: Date;
  expires: Date;
  userAgent: string | null;
  ip: string | null;
  current: boolean;
}

const latest = (record: RefreshTokenRecord) =>
  Math.max(record.createdAt.getTime(), record.lastUsedAt?.getTime() ?? 0);

/**
 * Sessions are derived from the token store, never stored twice: a family is a live session while
 * its newest token (the head) is neither rotated, revoked nor expired.
 */
export function createSessionsService(deps: {
  store: TokenStore;
  refreshTokens: RefreshTokens;
  clock: Clock;
  /** `sessionsRevoked` after each revocation (audit); optional for unit tests. */
  events?: Pick<AppEventBus, 'emit'>;
}) {
  const revoked = async (userId: number, scope: AppEvents['sessionsRevoked']['scope'], count: number) => {
    if (count > 0) await deps.events?.emit('sessionsRevoked', { userId, at: deps.clock.now(), scope, count });
  };

  /** Live families of the user with all their unexpired tokens. */
  async function liveFamilies(userId: number) {
    const now = deps.clock.now();
    const families = new Map<string, RefreshTokenRecord[]>();
    for (const record of await deps.store.listForUser(userId, now)) {
      const list = families.get(record.familyId) ?? [];
      list.push(record);
      families.set(record.familyId, list);
    }
    const live = new Map<string, { head: RefreshTokenRecord; records: RefreshTokenRecord[] }>();
    for (const [familyId, records] of families) {
      const head = records.find((record) => !record.rotatedAt && !record.revokedAt);
      if (head) live.set(familyId, { head, records });
    }
    return live;
  }

  async function revoke(
    userId: number,
    sessionId: string,
    scope: 'one' | 'logout' = 'one',
  ): Promise<boolean> {
    if (!(await liveFamilies(userId)).has(sessionId)) return false;
    await deps.store.revokeFamily(sessionId, deps.clock.now());
    await revoked(userId, scope, 1);
    return true;
  }

  return {
    async list(userId: number, currentSid: string | null): Promise<Session[]> {
      const sessions: Session[] = [];
      for (const [familyId, { head, records }] of await liveFamilies(userId)) {
        sessions.push({
          id: familyId,
          created: head.familyCreatedAt,
          lastUsed: new Date(Math.max(...records.map(latest))),
          expires: head.expiresAt,
          userAgent: summariseUserAgent(head.userAgent),
          ip: coarseIp(head.ip),
          current: familyId === currentSid,
        });
      }
      return sessions.sort((a, b) => b.lastUsed.getTime() - a.lastUsed.getTime() || (a.id < b.id ? -1 : 1));
    },

    /** Ends one session of the user; false when it is not theirs or already over. */
    revoke: (userId: number, sessionId: string) => revoke(userId, sessionId),

    /** Ends every session of the user but `keepSid`; returns how many sessions ended. */
    async revokeOthers(userId: number, keepSid: string | null): Promise<number> {
      const others = [...(await liveFamilies(userId)).entries()].filter(([familyId]) => familyId !== keepSid);
      await deps.store.revokeMany(
        others.flatMap(([, { records }]) => records.map((record) => record.digest)),
        deps.clock.now(),
      );
      await revoked(userId, 'others', others.length);
      return others.length;
    },

    /** Ends every session of the user (password change, "sign out everywhere"). */
    async revokeAll(userId: number): Promise<number> {
      const count = (await liveFamilies(userId)).size;
      await deps.store.revokeAllForUser(userId, deps.clock.now());
      await revoked(userId, 'all', count);
      return count;
    },

    /**
     * Signs out: ends the session named by the access token's `sid`, or else the one a refresh
     * token belongs to (an expired access token must not keep anyone from signing out).
     */
    async logout(sid: string | null, userId: number | null, refreshToken: string | null): Promise<boolean> {
      if (sid && userId !== null) return revoke(userId, sid, 'logout');
      const record = refreshToken ? await deps.refreshTokens.lookup(refreshToken) : null;
      if (!record || record.revokedAt) return false;
      await deps.store.revokeFamily(record.familyId, deps.clock.now());
      await revoked(record.userId, 'logout', 1);
      return true;
    },
  };
}

export type SessionsService = ReturnType<typeof createSessionsService>;
