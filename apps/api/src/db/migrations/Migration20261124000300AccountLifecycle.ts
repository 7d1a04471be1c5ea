import { Migration } from '@mikro-orm/migrations';

/**
 * Email tokens (activation, password reset and set, secondary email) for
 * `modules/account/email-token.store.ts`, and the user's last password change. Tokens are kept as
 * SHA-256 digests only; used or superseded ones keep their row (with `used_at`) so that an
 * activation replay can answer `already_verified` rather than `invalid_token`.
 */
export class Migration20261124000300AccountLifecycle extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table "user" add column "password_changed_at" timestamptz null;`);
    this.addSql(`create table "email_token" (
  "digest" text not null,
  "user_id" integer not null,
  "purpose" text not null,
  "email" varchar(254) null,
  "created_at" timestamptz not null,
  "expires_at" timestamptz not null,
  "used_at" timestamptz null,
  constraint "email_token_pkey" primary key ("digest"),
  constraint "email_token_purpose_check"
    check ("purpose" in ('activation', 'password_reset', 'password_set', 'secondary_email')),
  constraint "email_token_user_id_foreign" foreign key ("user_id")
    references "user" ("id") on delete cascade
);`);
    // user+purpose: supersede and revoke; expires_at: housekeeping deletes.
    this.addSql(`create index "email_token_user_id_purpose_index" on "email_token" ("user_id", "purpose");`);
    this.addSql(`create index "email_token_expires_at_index" on "email_token" ("expires_at");`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "email_token";`);
    this.addSql(`alter table "user" drop column if exists "password_changed_at";`);
  }
}
