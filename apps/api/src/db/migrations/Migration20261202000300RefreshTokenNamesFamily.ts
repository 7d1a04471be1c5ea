import { Migration } from '@mikro-orm/migrations';

/**
 * Rows whose raw token names its family (refresh-tokens.ts): rotation prunes those once they are
 * rotated and used on, so a family keeps a bounded number of rows. Older rows (false) are kept
 * until they expire, as before: their tokens carry nothing that traces a copy to its family.
 */
export class Migration20261202000300RefreshTokenNamesFamily extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table "refresh_token" add column "names_family" boolean not null default false;`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "refresh_token" drop column "names_family";`);
  }
}
