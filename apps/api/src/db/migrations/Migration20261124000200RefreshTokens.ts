import { Migration } from '@mikro-orm/migrations';

/**
 * Refresh tokens for the SQL token store (`modules/tokens/sql-token-store.ts`). No entity maps
 * this table: the store uses raw SQL so that it behaves exactly like the Redis store.
 * Plain PostgreSQL only (no extensions) so it also runs on PGlite.
 */
export class Migration20261124000200RefreshTokens extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table "refresh_token" (
  "digest" text not null,
  "user_id" integer not null,
  "family_id" text not null,
  "created_at" timestamptz not null,
  "last_used_at" timestamptz null,
  "expires_at" timestamptz not null,
  "revoked_at" timestamptz null,
  "rotated_at" timestamptz null,
  "successor_digest" text null,
  "user_agent" text null,
  "ip" text null,
  constraint "refresh_token_pkey" primary key ("digest"),
  constraint "refresh_token_user_id_foreign" foreign key ("user_id")
    references "user" ("id") on delete cascade
);`);
    // user: list and revoke-all; family: reuse detection; expires_at: housekeeping deletes.
    this.addSql(`create index "refresh_token_user_id_index" on "refresh_token" ("user_id");`);
    this.addSql(`create index "refresh_token_family_id_index" on "refresh_token" ("family_id");`);
    this.addSql(`create index "refresh_token_expires_at_index" on "refresh_token" ("expires_at");`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "refresh_token";`);
  }
}
