import { asRef, type Ref, refKey } from './dump-model.js';

interface DumpPermission {
  codename: string;
  name: string;
  contentType: Ref;
}

/**
 * Content types, permissions and groups from pass 1, resolved at its end (the dump's order is not
 * dependency order). Small: a Django project has hundreds of permissions, not millions.
 */
export function createReferenceBook() {
  const contentTypes = new Map<number, [string, string]>();
  const permissions = new Map<number, DumpPermission>();
  const groups = new Map<string, { name: string; permissions: Ref[] }>();

  /** `[codename, app_label, model]` of a permission reference, or null when it names nothing in the dump. */
  function permissionKey(ref: Ref): [string, string, string] | null {
    if (typeof ref !== 'number') return ref.length === 3 ? (ref as [string, string, string]) : null;
    const permission = permissions.get(ref);
    if (!permission) return null;
    const ct =
      typeof permission.contentType === 'number'
        ? contentTypes.get(permission.contentType)
        : permission.contentType;
    return ct && ct.length === 2 ? [permission.codename, ct[0]!, ct[1]!] : null;
  }

  return {
    addContentType(pk: unknown, fields: Record<string, unknown>) {
      if (typeof pk === 'number') contentTypes.set(pk, [String(fields.app_label), String(fields.model)]);
    },
    addPermission(pk: unknown, fields: Record<string, unknown>, offset: number) {
      if (typeof pk !== 'number') return; // natural-primary permissions are only named by natural keys
      permissions.set(pk, {
        codename: String(fields.codename),
        name: String(fields.name ?? fields.codename),
        contentType: asRef(fields.content_type, `permission at byte ${offset}`),
      });
    },
    addGroup(pk: unknown, fields: Record<string, unknown>, offset: number) {
      const name = String(fields.name ?? '');
      const refs = Array.isArray(fields.permissions)
        ? fields.permissions.map((ref) => asRef(ref, `group at byte ${offset}`))
        : [];
      const group = { name, permissions: refs };
      groups.set(refKey([name]), group);
      if (typeof pk === 'number') groups.set(refKey(pk), group);
    },
    /** The group a user's membership names, or null (the group is not in the dump). */
    group(ref: Ref) {
      return groups.get(refKey(ref)) ?? null;
    },
    allGroups() {
      return new Set(groups.values());
    },
    /** The Django `name` of a permission, when the dump has its row. */
    permissionName(key: [string, string, string]): string | null {
      for (const permission of permissions.values()) {
        const ct =
          typeof permission.contentType === 'number'
            ? contentTypes.get(permission.contentType)
            : permission.contentType;
        if (permission.codename === key[0] && ct?.[0] === key[1] && ct?.[1] === key[2])
          return permission.name;
      }
      return null;
    },
    permissionKey,
    permissionCount: () => permissions.size,
  };
}

export type ReferenceBook = ReturnType<typeof createReferenceBook>;

/**
 * The project's codename for a Django permission (§6.3): on the user model `A.M`, `<action>_M`
 * becomes `users.<action>_user` (what the `@permission` directives use) and any other codename
 * `users.<codename>`; elsewhere `<app_label>.<codename>`.
 */
export function projectCodename([codename, app, model]: [string, string, string], userModel: string): string {
  if (`${app}.${model}` === userModel) {
    const suffix = `_${model}`;
    return codename.endsWith(suffix)
      ? `users.${codename.slice(0, -suffix.length)}_user`
      : `users.${codename}`;
  }
  return `${app}.${codename}`;
}
