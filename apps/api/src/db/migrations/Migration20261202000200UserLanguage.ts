import { Migration } from '@mikro-orm/migrations';

/** The user's preferred locale for emails (null: English, or the locale of the request at hand). */
export class Migration20261202000200UserLanguage extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table "user" add column "language" varchar(10) null;`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "user" drop column "language";`);
  }
}
