import { Migration } from '@mikro-orm/migrations';

/**
 * Sessions are refresh-token families: every token remembers when its family began (the sign-in),
 * so a session keeps its start date however often it is rotated.
 */
export class Migration20261124000400Tokens extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table "refresh_token" add column "family_created_at" timestamptz null;`);
    this.addSql(`update "refresh_token" set "family_created_at" = "created_at";`);
    this.addSql(`alter table "refresh_token" alter column "family_created_at" set not null;`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "refresh_token" drop column if exists "family_created_at";`);
  }
}
