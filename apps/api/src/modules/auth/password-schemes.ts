import type { SqlClient } from '../../db/sql-client.js';

export interface SchemeCount {
  /** `bcrypt`, `bcrypt_sha256`, a Django scheme, `none` (passwordless) or an unknown prefix. */
  scheme: string;
  /** bcrypt's cost, for the bcrypt families. */
  cost: number | null;
  /** The project's own scheme at the configured cost: nothing left to upgrade. */
  native: boolean;
  users: number;
}

/**
 * Users per stored password scheme, read from the prefix as the verifier does (never the hash
 * itself leaves the database): what `passwords:report` shows while a Django migration drains.
 */
export async function countPasswordSchemes(sql: SqlClient, bcryptCost: number): Promise<SchemeCount[]> {
  const rows = await sql.query<{ scheme: string; cost: string | null; users: string | number }>(
    `select s."scheme", s."cost", count(*) as "users" from (
       select case
           when "password_hash" is null then 'none'
           when "password_hash" ~ '^[$]2[aby][$][0-9]{2}[$]' then 'bcrypt'
           when "password_hash" ~ '^bcrypt(_sha256)?[$][$]2[aby][$][0-9]{2}[$]' then split_part("password_hash", '$', 1)
           when length("password_hash") = 32 and strpos("password_hash", '$') = 0 then 'unsalted_md5'
           when length("password_hash") = 37 and "password_hash" like 'md5$$%' then 'unsalted_md5'
           when length("password_hash") = 46 and "password_hash" like 'sha1$$%' then 'unsalted_sha1'
           when strpos("password_hash", '$') = 0 then '(no prefix)'
           else left(split_part("password_hash", '$', 1), 32)
         end as "scheme",
         case
           when "password_hash" ~ '^[$]2' then substr("password_hash", 5, 2)
           when "password_hash" ~ '^bcrypt(_sha256)?[$][$]2' then split_part("password_hash", '$', 4)
         end as "cost"
       from "user") s
     group by s."scheme", s."cost" order by count(*) desc, s."scheme"`,
  );
  return rows.map((row) => {
    const cost = row.cost === null ? null : Number(row.cost);
    const bcryptFamily = row.scheme === 'bcrypt' || row.scheme === 'bcrypt_sha256';
    return {
      scheme: row.scheme,
      cost,
      native: (bcryptFamily && cost === bcryptCost) || row.scheme === 'none',
      users: Number(row.users),
    };
  });
}
