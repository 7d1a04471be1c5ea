import type { SqlClient } from '../../db/sql-client.js';
import {
  type NewRefreshToken,
  REFRESH_TOKEN_ID_LENGTH,
  type RefreshTokenRecord,
  type RotateResult,
  type TokenStore,
} from './token-store.js';

/** A `refreshTokenId`: anything else marks nothing. */
const VALID_ID = new RegExp(`^[0-9a-f]{${REFRESH_TOKEN_ID_LENGTH}}$`);

export interface SqlTokenStoreOptions {
  sql: SqlClient;
}

// Timestamps are read back as epoch milliseconds (float8 arrives as a JS number everywhere):
// pg parses timestamptz into Date, MikroORM's connection keeps it as text in the session time
// zone, and PGlite has its own parsers. Numbers make all three agree.
const ms = (column: string) => `round(extract(epoch from "${column}") * 1000)::float8 as "${column}"`;

const COLUMNS = [
  '"digest"',
  '"user_id"',
  '"family_id"',
  ms('family_created_at'),
  ms('created_at'),
  ms('last_used_at'),
  ms('expires_at'),
  ms('revoked_at'),
  ms('rotated_at'),
  '"successor_digest"',
  '"user_agent"',
  '"ip"',
].join(', ');

interface Row {
  digest: string;
  user_id: number;
  family_id: string;
  family_created_at: number;
  created_at: number;
  last_used_at: number | null;
  expires_at: number;
  revoked_at: number | null;
  rotated_at: number | null;
  successor_digest: string | null;
  user_agent: string | null;
  ip: string | null;
}

const toDate = (value: number | null) => (value === null ? null : new Date(value));

function toRecord(row: Row): RefreshTokenRecord {
  return {
    digest: row.digest,
    userId: Number(row.user_id),
    familyId: row.family_id,
    familyCreatedAt: new Date(row.family_created_at),
    createdAt: new Date(row.created_at),
    lastUsedAt: toDate(row.last_used_at),
    expiresAt: new Date(row.expires_at),
    revokedAt: toDate(row.revoked_at),
    rotatedAt: toDate(row.rotated_at),
    successorDigest: row.successor_digest,
    userAgent: row.user_agent,
    ip: row.ip,
  };
}

/** Wraps a data-modifying statement so the database counts the affected rows for us. */
const countOf = (statement: string) =>
  `with changed as (${statement} returning 1) select count(*)::int as "n" from changed`;

export function createSqlTokenStore({ sql }: SqlTokenStoreOptions): TokenStore {
  async function count(statement: string, params: unknown[]): Promise<number> {
    const [row] = await sql.query<{ n: number }>(countOf(statement), params);
    return row?.n ?? 0;
  }

  async function find(digest: string): Promise<RefreshTokenRecord | null> {
    const [row] = await sql.query<Row>(`select ${COLUMNS} from "refresh_token" where "digest" = ?`, [digest]);
    return row ? toRecord(row) : null;
  }

  return {
    async save(token: NewRefreshToken) {
      await sql.query(
        `insert into "refresh_token" ("digest", "user_id", "family_id", "family_created_at", "created_at", "expires_at", "user_agent", "ip", "names_family")
         values (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        [
          token.digest,
          token.userId,
          token.familyId,
          token.familyCreatedAt ?? token.createdAt,
          token.createdAt,
          token.expiresAt,
          token.userAgent,
          token.ip,
          token.namesFamily ?? false,
        ],
      );
    },

    find,

    async rotate(digest, successorDigest, now, successor): Promise<RotateResult> {
      // The guarded UPDATE is the atomic step: concurrent callers queue on the row lock and,
      // once the winner commits, re-check the WHERE clause and match nothing. The successor is
      // inserted by the same statement (a data-modifying CTE), so it exists the moment anyone
      // can learn that the rotation happened. Casts: pg cannot infer types of bare parameters.
      const family = successor?.familyId ?? null;
      const insertSuccessor = successor
        ? `, successor as (
             insert into "refresh_token" ("digest", "user_id", "family_id", "family_created_at",
               "created_at", "expires_at", "user_agent", "ip", "names_family")
             select ?::text, "user_id", "family_id", "family_created_at", ?::timestamptz,
               ?::timestamptz, ?::text, ?::text, ?::boolean from won)`
        : '';
      const successorParams = successor
        ? [successorDigest, now, successor.expiresAt, successor.userAgent, successor.ip, family !== null]
        : [];
      // The family's older rows that name their family, rotated before the bound; the rotated row
      // itself stays (its successor may be unused: a lost answer). The statement's snapshot does
      // not see the rotation above, and the digest condition says the same for certain.
      const prune = successor?.pruneRotatedBefore
        ? `, pruned as (
             delete from "refresh_token" where "family_id" = (select "family_id" from won)
               and "names_family" and "rotated_at" <= ?::timestamptz and "digest" <> ?::text)`
        : '';
      const pruneParams = successor?.pruneRotatedBefore ? [successor.pruneRotatedBefore, digest] : [];
      for (let attempt = 0; attempt < 3; attempt++) {
        const [won] = await sql.query<Row>(
          `with won as (
             update "refresh_token" set "rotated_at" = ?, "successor_digest" = ?, "last_used_at" = ?
             where "digest" = ? and "rotated_at" is null and "revoked_at" is null and "expires_at" > ?
               and (?::text is null or "family_id" = ?::text)
             returning *)${insertSuccessor}${prune}
           select ${COLUMNS} from won`,
          [now, successorDigest, now, digest, now, family, family, ...successorParams, ...pruneParams],
        );
        if (won) return { status: 'rotated', record: toRecord(won) };

        // Lost, or not rotatable: read the row to say why (same precedence as the Redis store).
        const record = await find(digest);
        if (!record) return { status: 'not_found' };
        if (record.revokedAt) return { status: 'revoked', record };
        if (record.expiresAt.getTime() <= now.getTime()) return { status: 'expired', record };
        if (family !== null && record.familyId !== family) {
          return { status: 'other_family', familyId: record.familyId };
        }
        if (record.rotatedAt) {
          const successor = record.successorDigest ? await find(record.successorDigest) : null;
          return { status: 'already_rotated', record, successor };
        }
        // Still rotatable: the row was committed after our UPDATE's snapshot. Try again.
      }
      throw new Error('refresh token rotation did not settle');
    },

    async touch(digest, now) {
      await sql.query(`update "refresh_token" set "last_used_at" = ? where "digest" = ?`, [now, digest]);
    },

    async revoke(digest, now) {
      // coalesce keeps the first revocation time, which makes revoke idempotent in one statement.
      const [row] = await sql.query<Row>(
        `update "refresh_token" set "revoked_at" = coalesce("revoked_at", ?) where "digest" = ?
         returning ${COLUMNS}`,
        [now, digest],
      );
      return row ? toRecord(row) : null;
    },

    revokeFamily(familyId, now) {
      return count(
        `update "refresh_token" set "revoked_at" = ? where "family_id" = ? and "revoked_at" is null`,
        [now, familyId],
      );
    },

    revokeAllForUser(userId, now) {
      return count(
        `update "refresh_token" set "revoked_at" = ? where "user_id" = ? and "revoked_at" is null`,
        [now, userId],
      );
    },

    async revokeMany(digests, now) {
      const unique = [...new Set(digests)];
      if (unique.length === 0) return 0;
      // One placeholder per digest: array bindings differ between MikroORM and pg (see SqlClient).
      const placeholders = unique.map(() => '?').join(', ');
      return count(
        `update "refresh_token" set "revoked_at" = ?
         where "digest" in (${placeholders}) and "revoked_at" is null`,
        [now, ...unique],
      );
    },

    async listForUser(userId, now) {
      const rows = await sql.query<Row>(
        `select ${COLUMNS} from "refresh_token" where "user_id" = ? and "expires_at" > ?
         order by "created_at" desc, "digest" collate "C" asc`,
        [userId, now],
      );
      return rows.map(toRecord);
    },

    async isFamilyLive(familyId, now, usedWith) {
      const current = `select "digest" from "refresh_token"
         where "family_id" = ? and "revoked_at" is null and "rotated_at" is null and "expires_at" > ?
         limit 1`;
      if (!usedWith || !VALID_ID.test(usedWith)) {
        const rows = await sql.query<{ digest: string }>(current, [familyId, now]);
        return rows.length > 0;
      }
      // One statement: the read, and the first-use mark when the access token came with the head.
      const rows = await sql.query<{ digest: string }>(
        `with live as (${current}),
           used as (update "refresh_token" set "last_used_at" = ?
             where "digest" in (select "digest" from live) and "last_used_at" is null
               and left("digest", ${REFRESH_TOKEN_ID_LENGTH}) = ?::text
             returning 1)
         select "digest" from live`,
        [familyId, now, now, usedWith],
      );
      return rows.length > 0;
    },

    async familyOwner(familyId, now) {
      const [row] = await sql.query<{ user_id: number }>(
        `select "user_id" from "refresh_token"
         where "family_id" = ? and "revoked_at" is null and "rotated_at" is null and "expires_at" > ?
         limit 1`,
        [familyId, now],
      );
      return row ? Number(row.user_id) : null;
    },

    deleteExpired(now, opts = {}) {
      const revoked = opts.includeRevoked ? ` or "revoked_at" is not null` : '';
      return count(`delete from "refresh_token" where "expires_at" <= ?${revoked}`, [now]);
    },

    async ping() {
      await sql.query('select 1');
    },
  };
}
