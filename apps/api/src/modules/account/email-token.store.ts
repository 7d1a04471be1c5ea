import type { SqlClient } from '../../db/sql-client.js';
import { digestToken } from '../tokens/token-store.js';
import { type EmailTokenPurpose, type EmailTokenRecord, generateEmailToken } from './email-token.js';

interface Row {
  digest: string;
  user_id: number;
  purpose: EmailTokenPurpose;
  email: string | null;
  created_at: Date | string;
  expires_at: Date | string;
  used_at: Date | string | null;
}

function toRecord(row: Row): EmailTokenRecord {
  return {
    digest: row.digest,
    userId: Number(row.user_id),
    purpose: row.purpose,
    email: row.email,
    createdAt: new Date(row.created_at),
    expiresAt: new Date(row.expires_at),
    usedAt: row.used_at === null ? null : new Date(row.used_at),
  };
}

export interface IssueEmailToken {
  userId: number;
  purpose: EmailTokenPurpose;
  email?: string | null;
  now: Date;
  ttlSeconds: number;
}

/**
 * Email tokens in SQL (the `email_token` table). A token is issued (committed) before its mail is
 * sent, so no connection is held during the SMTP conversation; `settle` supersedes older ones once
 * the mail went out and `discard` removes it when it did not. Only SHA-256 digests are stored; the
 * raw token exists in the email alone.
 */
export function createEmailTokenStore(sql: SqlClient) {
  return {
    /**
     * Stores a new token and returns it; older tokens are untouched until `settle` (after the mail
     * went out) or `discard` (it did not).
     */
    async issue(input: IssueEmailToken): Promise<{ token: string; digest: string; expiresAt: Date }> {
      const token = generateEmailToken();
      const digest = digestToken(token);
      const expiresAt = new Date(input.now.getTime() + input.ttlSeconds * 1000);
      await sql.query(
        'insert into "email_token" ("digest", "user_id", "purpose", "email", "created_at", "expires_at") values (?, ?, ?, ?, ?, ?)',
        [digest, input.userId, input.purpose, input.email ?? null, input.now, expiresAt],
      );
      return { token, digest, expiresAt };
    },

    /**
     * After `sent` went out: it and the `keep - 1` newest other unused tokens of the user and
     * purpose stay valid; older ones are superseded (marked used at `now`). Returns how many.
     */
    async settle(
      sent: { digest: string; userId: number; purpose: EmailTokenPurpose },
      keep: number,
      now: Date,
    ): Promise<number> {
      const { digest, userId, purpose } = sent;
      const rows = await sql.query(
        `update "email_token" set "used_at" = ?
         where "user_id" = ? and "purpose" = ? and "used_at" is null and "digest" <> ?
           and "digest" not in (
             select "digest" from "email_token"
             where "user_id" = ? and "purpose" = ? and "used_at" is null and "digest" <> ?
             order by "created_at" desc, "digest" collate "C" desc limit ?)
         returning "digest"`,
        [now, userId, purpose, digest, userId, purpose, digest, keep - 1],
      );
      return rows.length;
    },

    /** The mail carrying this token was not sent: forget it (nothing may be left behind). */
    async discard(digest: string): Promise<void> {
      await sql.query('delete from "email_token" where "digest" = ? and "used_at" is null', [digest]);
    },

    /** The record of a raw token, whatever its state; null when unknown. */
    async find(token: string): Promise<EmailTokenRecord | null> {
      const rows = await sql.query<Row>('select * from "email_token" where "digest" = ?', [
        digestToken(token),
      ]);
      return rows[0] ? toRecord(rows[0]) : null;
    },

    /**
     * Marks the token used. Atomic compare-and-set: of concurrent callers exactly one gets true,
     * so a token works once even when two requests race with it.
     */
    async use(digest: string, now: Date): Promise<boolean> {
      const rows = await sql.query(
        'update "email_token" set "used_at" = ? where "digest" = ? and "used_at" is null returning "digest"',
        [now, digest],
      );
      return rows.length === 1;
    },

    /** Kills every unused token of the user with one of `purposes` (e.g. on a password change). */
    async revokeForUser(userId: number, purposes: readonly EmailTokenPurpose[], now: Date): Promise<number> {
      if (purposes.length === 0) return 0;
      const rows = await sql.query(
        `update "email_token" set "used_at" = ? where "user_id" = ? and "used_at" is null and "purpose" in (${purposes.map(() => '?').join(', ')}) returning "digest"`,
        [now, userId, ...purposes],
      );
      return rows.length;
    },

    /** Housekeeping: forgets tokens expired before `now`; returns how many. */
    async deleteExpired(now: Date): Promise<number> {
      const rows = await sql.query('delete from "email_token" where "expires_at" <= ? returning "digest"', [
        now,
      ]);
      return rows.length;
    },
  };
}

export type EmailTokenStore = ReturnType<typeof createEmailTokenStore>;
