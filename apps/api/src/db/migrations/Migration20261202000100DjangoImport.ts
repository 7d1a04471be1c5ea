import { Migration } from '@mikro-orm/migrations';

/**
 * `pnpm cli import:django`'s memory of what it imported: one row per Django user it created, so a
 * re-run with the same dump changes nothing, and `--existing update` can tell whether a password is
 * still the imported one (a digest, not a second copy of the hash). Deleting a user drops its row.
 * Plain SQL, so PGlite runs it too; drop the table once the migration from Django is over.
 */
export class Migration20261202000100DjangoImport extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table "django_import_user" (
  "django_pk" integer primary key,
  "user_id" integer not null unique references "user" ("id") on delete cascade,
  "password_digest" text not null,
  "imported_at" timestamptz not null,
  "updated_at" timestamptz not null
);`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "django_import_user";`);
  }
}
