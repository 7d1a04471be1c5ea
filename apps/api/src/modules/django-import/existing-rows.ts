import type { SqlClient } from '../../db/sql-client.js';

/** A project user that a dump row could collide with. Keys are lowered, as the unique indexes are. */
export interface ExistingUser {
  id: number;
  username: string;
  email: string;
  secondary: string | null;
}

export interface ImportMapping {
  djangoPk: number;
  userId: number;
  passwordDigest: string;
}

const LOOKUP_BATCH = 5000;

/**
 * Project users whose lowered username, email or secondary email is among `keys`, or whose id is
 * in `ids`: batched look-ups on the `lower()` indexes (a JSON array parameter: one round trip per
 * batch, no huge parameter lists), never one query per row.
 */
export async function findExistingUsers(
  sql: SqlClient,
  keys: { usernames: string[]; emails: string[]; ids: number[] },
): Promise<ExistingUser[]> {
  const found = new Map<number, ExistingUser>();
  const add = (rows: ExistingUser[]) => {
    for (const row of rows) found.set(row.id, row);
  };
  const select = `select "id", lower("username") as "username", lower("email") as "email",
    lower("secondary_email") as "secondary" from "user"`;
  for (let i = 0; i < keys.usernames.length; i += LOOKUP_BATCH) {
    add(
      await sql.query<ExistingUser>(
        `${select} where lower("username") in (select json_array_elements_text(cast(? as json)))`,
        [JSON.stringify(keys.usernames.slice(i, i + LOOKUP_BATCH))],
      ),
    );
  }
  for (let i = 0; i < keys.emails.length; i += LOOKUP_BATCH) {
    const batch = JSON.stringify(keys.emails.slice(i, i + LOOKUP_BATCH));
    add(
      await sql.query<ExistingUser>(
        `${select} where lower("email") in (select json_array_elements_text(cast(? as json)))
           or lower("secondary_email") in (select json_array_elements_text(cast(? as json)))`,
        [batch, batch],
      ),
    );
  }
  for (let i = 0; i < keys.ids.length; i += LOOKUP_BATCH) {
    add(
      await sql.query<ExistingUser>(
        `${select} where "id" in (select cast(value as integer) from json_array_elements_text(cast(? as json)))`,
        [JSON.stringify(keys.ids.slice(i, i + LOOKUP_BATCH))],
      ),
    );
  }
  return [...found.values()];
}

/** Every row an earlier import wrote (its user still exists: the mapping cascades on delete). */
export async function loadMappings(sql: SqlClient): Promise<Map<number, ImportMapping>> {
  const rows = await sql.query<{ django_pk: number; user_id: number; password_digest: string }>(
    `select "django_pk", "user_id", "password_digest" from "django_import_user"`,
  );
  return new Map(
    rows.map((row) => [
      row.django_pk,
      { djangoPk: row.django_pk, userId: row.user_id, passwordDigest: row.password_digest },
    ]),
  );
}

/** Existing permissions by codename and groups by lowered name. */
export async function loadPermissionsAndGroups(sql: SqlClient) {
  const permissions = await sql.query<{ codename: string }>(`select "codename" from "permission"`);
  const groups = await sql.query<{ name: string }>(`select lower("name") as "name" from "group"`);
  return {
    permissions: new Set(permissions.map((row) => row.codename)),
    groups: new Set(groups.map((row) => row.name)),
  };
}
