import { createHash } from 'node:crypto';
import type { SqlClient } from '../../db/sql-client.js';
import { parseDjangoDate, readUser } from './dump-model.js';
import { type DumpSource, parseDumpObject, peekModel, readDumpObjects } from './dump-reader.js';
import type { ImportOptions } from './import-types.js';
import { classifyPassword } from './passwords.js';
import { type ImportPlan, userKey } from './plan.js';

/** SHA-256 of the dump's `password` string: the mapping keeps a digest, never a second copy of the hash. */
export function passwordDigest(raw: string | null): string {
  return createHash('sha256')
    .update(raw ?? '', 'utf8')
    .digest('hex');
}

export interface WriteResult {
  groupsCreated: number;
  permissionsCreated: number;
  memberships: number;
  directGrants: number;
  nextId: number | null;
}

const USER_COLUMNS = `"username" text, "email" text, "password_hash" text, "first_name" text, "last_name" text,
  "is_active" boolean, "is_staff" boolean, "is_superuser" boolean, "date_joined" timestamptz,
  "last_login" timestamptz, "verified" boolean, "archived" boolean, "secondary_email" text`;
const USER_FIELDS = `"username", "email", "password_hash", "first_name", "last_name", "is_active", "is_staff",
  "is_superuser", "date_joined", "last_login", "verified", "archived", "secondary_email"`;

interface Row {
  id: number | null;
  django_pk: number | null;
  username: string;
  email: string;
  password_hash: string | null;
  password_digest: string;
  first_name: string;
  last_name: string;
  is_active: boolean;
  is_staff: boolean;
  is_superuser: boolean;
  date_joined: string;
  last_login: string | null;
  verified: boolean;
  archived: boolean;
  secondary_email: string | null;
  groups: string[];
  permissions: string[];
}

/**
 * Pass 2: streams the user rows again and writes them in batches, each batch one
 * `insert … select … from json_to_recordset($1)` (one round trip, one parameter), then its
 * memberships and mapping rows. With `dryRun` it builds the same batches and sends nothing.
 * Runs inside the caller's transaction.
 */
export async function writeImport(
  source: DumpSource,
  plan: ImportPlan,
  options: ImportOptions,
  sql: SqlClient,
  now: Date,
  onRows: (done: number) => void,
): Promise<WriteResult> {
  const dry = options.dryRun;
  const run = async <T = Record<string, unknown>>(text: string, params: unknown[]): Promise<T[]> =>
    dry ? [] : sql.query<T>(text, params);
  const result: WriteResult = {
    groupsCreated: 0,
    permissionsCreated: 0,
    memberships: 0,
    directGrants: 0,
    nextId: null,
  };

  // Permissions and groups first: memberships join on them by codename and name.
  const newPermissions = plan.permissions.filter((p) => !p.existing);
  result.permissionsCreated = newPermissions.length;
  await run(
    `insert into "permission" ("codename", "name")
       select x."codename", left(x."name", 255) from json_to_recordset(cast(? as json)) as x("codename" text, "name" text)
       where not exists (select 1 from "permission" p where p."codename" = x."codename")`,
    [JSON.stringify(newPermissions)],
  );
  result.groupsCreated = plan.groups.filter((g) => !g.existing).length;
  await run(
    `insert into "group" ("name")
       select x."name" from json_to_recordset(cast(? as json)) as x("name" text)
       where not exists (select 1 from "group" g where lower(g."name") = lower(x."name"))`,
    [JSON.stringify(plan.groups.filter((g) => !g.existing).map((g) => ({ name: g.name })))],
  );
  await run(
    `insert into "group_permissions" ("group_id", "permission_id")
       select g."id", p."id" from json_to_recordset(cast(? as json)) as x("group_name" text, "codename" text)
       join "group" g on lower(g."name") = lower(x."group_name") join "permission" p on p."codename" = x."codename"
       on conflict do nothing`,
    [
      JSON.stringify(
        plan.groups.flatMap((g) => g.permissions.map((codename) => ({ group_name: g.name, codename }))),
      ),
    ],
  );

  let done = 0;
  let batch: Row[] = [];
  const flush = async () => {
    if (batch.length === 0) return;
    const rows = batch;
    batch = [];
    await writeBatch(rows);
    done += rows.length;
    onRows(done);
  };

  async function writeBatch(rows: Row[]) {
    const creates = rows.filter((row) => plan.decisions.get(key(row))!.action === 'create');
    const updates = rows.filter((row) => plan.decisions.get(key(row))!.action === 'update');
    const userIds = new Map<Row, number>();
    if (creates.length > 0) {
      const keep = creates[0]!.id !== null;
      const inserted = await run<{ id: number; username: string }>(
        `insert into "user" (${keep ? '"id", ' : ''}${USER_FIELDS})
           select ${keep ? 'x."id", ' : ''}${USER_FIELDS.replace(/"(\w+)"/g, 'x."$1"')}
           from json_to_recordset(cast(? as json)) as x("id" integer, ${USER_COLUMNS})
           returning "id", "username"`,
        [JSON.stringify(creates)],
      );
      const byUsername = new Map(inserted.map((row) => [row.username, row.id]));
      for (const row of creates) userIds.set(row, row.id ?? byUsername.get(row.username) ?? -1);
    }
    if (updates.length > 0) {
      // Profile fields always; the password only while the stored hash is still the imported one
      // (the user has not signed in, reset or changed it since): compare-and-set on the digest.
      await run(
        `update "user" u set ${USER_FIELDS.split(',')
          .map((f) => f.trim())
          .filter((f) => f !== '"password_hash"')
          .map((f) => `${f} = x.${f}`)
          .join(', ')},
           "password_hash" = case when u."password_hash" is null
               or encode(sha256(convert_to(u."password_hash", 'UTF8')), 'hex') = m."password_digest"
             then x."password_hash" else u."password_hash" end
         from json_to_recordset(cast(? as json)) as x("django_pk" integer, ${USER_COLUMNS})
         join "django_import_user" m on m."django_pk" = x."django_pk"
         where u."id" = m."user_id"`,
        [JSON.stringify(updates)],
      );
      await run(
        `update "django_import_user" m set "password_digest" = x."password_digest", "updated_at" = cast(? as timestamptz)
         from json_to_recordset(cast(? as json)) as x("django_pk" integer, "password_hash" text, "password_digest" text),
           "user" u
         where m."django_pk" = x."django_pk" and u."id" = m."user_id"
           and u."password_hash" is not distinct from x."password_hash"`,
        [now.toISOString(), JSON.stringify(updates)],
      );
      for (const row of updates) userIds.set(row, plan.decisions.get(key(row))!.userId!);
    }
    const mappingRows = creates.flatMap((row) =>
      row.django_pk === null
        ? []
        : [{ django_pk: row.django_pk, user_id: userIds.get(row), password_digest: row.password_digest }],
    );
    await run(
      `insert into "django_import_user" ("django_pk", "user_id", "password_digest", "imported_at", "updated_at")
         select x."django_pk", x."user_id", x."password_digest", cast(? as timestamptz), cast(? as timestamptz)
         from json_to_recordset(cast(? as json)) as x("django_pk" integer, "user_id" integer, "password_digest" text)`,
      [now.toISOString(), now.toISOString(), JSON.stringify(mappingRows)],
    );
    // Memberships are added, never removed (a re-run with --existing update adds what is new).
    const written = [...creates, ...updates];
    const groupRows = written.flatMap((row) =>
      row.groups.map((name) => ({ user_id: userIds.get(row), name })),
    );
    const grantRows = written.flatMap((row) =>
      row.permissions.map((codename) => ({ user_id: userIds.get(row), codename })),
    );
    if (dry) {
      result.memberships += groupRows.length;
      result.directGrants += grantRows.length;
      return;
    }
    if (groupRows.length > 0) {
      const added = await run(
        `insert into "user_groups" ("user_id", "group_id")
           select x."user_id", g."id" from json_to_recordset(cast(? as json)) as x("user_id" integer, "name" text)
           join "group" g on lower(g."name") = lower(x."name") on conflict do nothing returning 1`,
        [JSON.stringify(groupRows)],
      );
      result.memberships += added.length;
    }
    if (grantRows.length > 0) {
      const added = await run(
        `insert into "user_permissions" ("user_id", "permission_id")
           select x."user_id", p."id" from json_to_recordset(cast(? as json)) as x("user_id" integer, "codename" text)
           join "permission" p on p."codename" = x."codename" on conflict do nothing returning 1`,
        [JSON.stringify(grantRows)],
      );
      result.directGrants += added.length;
    }
  }

  const key = (row: Row) => userKey(row.django_pk, row.username);
  for await (const raw of readDumpObjects(source)) {
    if (peekModel(raw) !== plan.userModel) continue;
    const { pk, fields } = parseDumpObject(raw);
    const user = readUser(pk, fields, raw.offset);
    const decision = plan.decisions.get(userKey(user.pk, user.username));
    if (!decision || decision.action === 'unchanged') continue;
    const dateJoined = parseDjangoDate(user.dateJoined, options.timezone) ?? now;
    batch.push({
      id: decision.userId,
      django_pk: user.pk,
      username: user.username,
      email: user.email,
      // Checked again (a parse, no hashing): the file is read twice and must not smuggle in a new hash.
      password_hash:
        decision.passwordKept && classifyPassword(user.password, options.hashers).kind === 'kept'
          ? user.password
          : null,
      password_digest: passwordDigest(user.password),
      first_name: user.firstName.slice(0, 150),
      last_name: user.lastName.slice(0, 150),
      is_active: user.isActive,
      is_staff: user.isStaff,
      is_superuser: user.isSuperuser,
      date_joined: dateJoined.toISOString(),
      last_login: parseDjangoDate(user.lastLogin, options.timezone)?.toISOString() ?? null,
      verified: decision.verified,
      archived: decision.archived,
      secondary_email: decision.secondaryEmail,
      groups: decision.groups,
      permissions: decision.permissions,
    });
    if (batch.length >= options.batchSize) await flush();
  }
  await flush();

  if (plan.idsKept && !dry) {
    const [row] = await sql.query<{ next: string | number }>(
      `select setval(pg_get_serial_sequence('"user"', 'id'), greatest((select max("id") from "user"), 1)) + 1 as "next"`,
    );
    result.nextId = row ? Number(row.next) : null;
  }
  return result;
}
