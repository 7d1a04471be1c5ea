import type { EntityManager } from '@mikro-orm/postgresql';
import { createMikroOrmSqlClient } from '../../db/sql-client.js';
import type { User } from '../users/user.entity.js';

export interface PermissionInfo {
  codename: string;
  name: string;
}

export interface GroupInfo {
  id: number;
  name: string;
  permissions: string[];
}

const HOLDS_PERMISSION = `select 1 as "held" from "permission" p
  where p."codename" = ?
    and (exists (select 1 from "user_permissions" up where up."permission_id" = p."id" and up."user_id" = ?)
      or exists (select 1 from "group_permissions" gp
                 join "user_groups" ug on ug."group_id" = gp."group_id"
                 where gp."permission_id" = p."id" and ug."user_id" = ?))
  limit 1`;

/**
 * Django's permission model over plain SQL: permissions granted to a user directly or through a
 * group; an active superuser holds them all. Raw SQL (no entities) keeps these join tables out of
 * the identity map and every check to a single query.
 */
export function createPermissionService() {
  const sql = (em: EntityManager) => createMikroOrmSqlClient(em);

  async function permissionId(em: EntityManager, codename: string): Promise<number | null> {
    const rows = await sql(em).query<{ id: number }>(`select "id" from "permission" where "codename" = ?`, [
      codename,
    ]);
    return rows[0]?.id ?? null;
  }

  async function groupId(em: EntityManager, name: string): Promise<number | null> {
    const rows = await sql(em).query<{ id: number }>(
      `select "id" from "group" where lower("name") = lower(?)`,
      [name],
    );
    return rows[0]?.id ?? null;
  }

  return {
    permissionId,
    groupId,

    /** Django's `has_perm`: active superusers hold every permission. One query otherwise. */
    async hasPermission(em: EntityManager, user: User, codename: string): Promise<boolean> {
      if (!user.isActive) return false;
      if (user.isSuperuser) return true;
      const rows = await sql(em).query(HOLDS_PERMISSION, [codename, user.id, user.id]);
      return rows.length > 0;
    },

    /** Codenames the user holds directly or through groups (superuser status not expanded). */
    async permissionsOf(em: EntityManager, userId: number): Promise<string[]> {
      const rows = await sql(em).query<{ codename: string }>(
        `select p."codename" from "permission" p where exists (
           select 1 from "user_permissions" up where up."permission_id" = p."id" and up."user_id" = ?)
         or exists (select 1 from "group_permissions" gp join "user_groups" ug on ug."group_id" = gp."group_id"
           where gp."permission_id" = p."id" and ug."user_id" = ?)
         order by p."codename"`,
        [userId, userId],
      );
      return rows.map((row) => row.codename);
    },

    async listPermissions(em: EntityManager): Promise<PermissionInfo[]> {
      return sql(em).query<PermissionInfo>(`select "codename", "name" from "permission" order by "codename"`);
    },

    /** Groups with their permissions, in two queries whatever their number. */
    async listGroups(em: EntityManager): Promise<GroupInfo[]> {
      const groups = await sql(em).query<{ id: number; name: string }>(
        `select "id", "name" from "group" order by lower("name")`,
      );
      const links = await sql(em).query<{ group_id: number; codename: string }>(
        `select gp."group_id", p."codename" from "group_permissions" gp
         join "permission" p on p."id" = gp."permission_id" order by p."codename"`,
      );
      return groups.map((group) => ({
        ...group,
        permissions: links.filter((link) => link.group_id === group.id).map((link) => link.codename),
      }));
    },

    /** Grants a permission; false when the codename is unknown. Granting twice is a no-op. */
    async grant(em: EntityManager, userId: number, codename: string): Promise<boolean> {
      const id = await permissionId(em, codename);
      if (id === null) return false;
      await sql(em).query(
        `insert into "user_permissions" ("user_id", "permission_id") values (?, ?) on conflict do nothing`,
        [userId, id],
      );
      return true;
    },

    /** Removes a direct grant; false when the codename is unknown. Group grants are unaffected. */
    async remove(em: EntityManager, userId: number, codename: string): Promise<boolean> {
      const id = await permissionId(em, codename);
      if (id === null) return false;
      await sql(em).query(`delete from "user_permissions" where "user_id" = ? and "permission_id" = ?`, [
        userId,
        id,
      ]);
      return true;
    },

    /** Creates a group with the given permissions; returns the unknown codenames instead when any. */
    async createGroup(
      em: EntityManager,
      name: string,
      codenames: readonly string[],
    ): Promise<
      { ok: true; id: number } | { ok: false; reason: 'unique' } | { ok: false; unknown: string[] }
    > {
      const ids: number[] = [];
      const unknown: string[] = [];
      for (const codename of new Set(codenames)) {
        const id = await permissionId(em, codename);
        if (id === null) unknown.push(codename);
        else ids.push(id);
      }
      if (unknown.length > 0) return { ok: false, unknown };
      if ((await groupId(em, name)) !== null) return { ok: false, reason: 'unique' };
      // Two requests can both pass the check above; the unique index decides without an exception.
      const [row] = await sql(em).query<{ id: number }>(
        `insert into "group" ("name") values (?) on conflict do nothing returning "id"`,
        [name],
      );
      if (!row) return { ok: false, reason: 'unique' };
      const id = row.id;
      for (const permission of ids) {
        await sql(em).query(`insert into "group_permissions" ("group_id", "permission_id") values (?, ?)`, [
          id,
          permission,
        ]);
      }
      return { ok: true, id };
    },

    /** Adds (or, with `member` false, removes) a user to a group; false when the group is unknown. */
    async setMembership(em: EntityManager, userId: number, group: string, member: boolean): Promise<boolean> {
      const id = await groupId(em, group);
      if (id === null) return false;
      await sql(em).query(
        member
          ? `insert into "user_groups" ("user_id", "group_id") values (?, ?) on conflict do nothing`
          : `delete from "user_groups" where "user_id" = ? and "group_id" = ?`,
        [userId, id],
      );
      return true;
    },
  };
}

export type PermissionService = ReturnType<typeof createPermissionService>;
