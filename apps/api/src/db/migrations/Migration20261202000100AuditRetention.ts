import { Migration } from '@mikro-orm/migrations';

/**
 * Retention for the append-only audit log. The trigger still refuses UPDATE, TRUNCATE and every
 * DELETE, except those run by `audit_log_prune(before)`: it sets a transaction-local marker with
 * the cut-off, and the trigger lets a row go only when the marker is set and the row is older.
 * An index on the time serves pruning and the time filters of `auditLog`.
 */
export class Migration20261202000100AuditRetention extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create index "audit_log_occurred_at_index" on "audit_log" ("occurred_at");`);
    this.addSql(`create or replace function "audit_log_refuse_change"() returns trigger language plpgsql as $body$
declare
  cutoff text := current_setting('audit_log.prune_before', true);
begin
  if tg_op = 'DELETE' and cutoff is not null and cutoff <> '' and old."occurred_at" < cutoff::timestamptz then
    return old;
  end if;
  raise exception 'audit_log is append-only: % is not allowed', tg_op
    using errcode = 'insufficient_privilege';
end;
$body$;`);
    this.addSql(`create function "audit_log_prune"("before" timestamptz) returns bigint language plpgsql as $body$
declare
  deleted bigint;
begin
  perform set_config('audit_log.prune_before', "before"::text, true);
  delete from "audit_log" where "occurred_at" < "before";
  get diagnostics deleted = row_count;
  perform set_config('audit_log.prune_before', '', true);
  return deleted;
end;
$body$;`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop function if exists "audit_log_prune"(timestamptz);`);
    this.addSql(`drop index if exists "audit_log_occurred_at_index";`);
    this.addSql(`create or replace function "audit_log_refuse_change"() returns trigger language plpgsql as $body$
begin
  raise exception 'audit_log is append-only: % is not allowed', tg_op
    using errcode = 'insufficient_privilege';
end;
$body$;`);
  }
}
