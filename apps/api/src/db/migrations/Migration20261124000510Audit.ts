import { Migration } from '@mikro-orm/migrations';

/**
 * The append-only audit log. No foreign keys: a row must outlive the users it names (a cascade or
 * `set null` would be an UPDATE/DELETE, which the trigger refuses). The triggers make the database
 * itself refuse UPDATE, DELETE and TRUNCATE, whatever the application does. PL/pgSQL is built into
 * PostgreSQL 15 and PGlite alike.
 */
export class Migration20261124000510Audit extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table "audit_log" (
  "id" bigint generated always as identity primary key,
  "occurred_at" timestamptz not null,
  "actor_id" integer null,
  "action" varchar(100) not null,
  "target_type" varchar(50) null,
  "target_id" varchar(100) null,
  "metadata" jsonb not null default '{}'::jsonb,
  "ip" varchar(64) null,
  "user_agent" text null
);`);
    this.addSql(`create index "audit_log_actor_id_index" on "audit_log" ("actor_id");`);
    this.addSql(`create index "audit_log_target_index" on "audit_log" ("target_type", "target_id");`);
    this.addSql(`create index "audit_log_action_index" on "audit_log" ("action");`);
    this.addSql(`create function "audit_log_refuse_change"() returns trigger language plpgsql as $body$
begin
  raise exception 'audit_log is append-only: % is not allowed', tg_op
    using errcode = 'insufficient_privilege';
end;
$body$;`);
    this.addSql(`create trigger "audit_log_no_update_delete" before update or delete on "audit_log"
  for each row execute function "audit_log_refuse_change"();`);
    this.addSql(`create trigger "audit_log_no_truncate" before truncate on "audit_log"
  for each statement execute function "audit_log_refuse_change"();`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "audit_log";`);
    this.addSql(`drop function if exists "audit_log_refuse_change"();`);
  }
}
