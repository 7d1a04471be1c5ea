import type { SqlClient } from '../../db/sql-client.js';
import type { DjangoScheme } from '../auth/django-hashers/django-hash.js';
import { emailProblem, usernameProblem } from '../users/user-validation.js';
import { type DumpStatus, looksLikeUser, parseDjangoDate, readStatus, readUser } from './dump-model.js';
import { DumpError, type DumpSource, parseDumpObject, peekModel, readDumpObjects } from './dump-reader.js';
import { findExistingUsers, loadMappings, loadPermissionsAndGroups } from './existing-rows.js';
import type { ImportOptions, ImportWarning, Rejection, UserDecision } from './import-types.js';
import { classifyPassword, type PasswordOutcome } from './passwords.js';
import { createReferenceBook, projectCodename } from './references.js';
import { type Contender, losersByKey } from './winner.js';

/** The only fields pass 1 keeps per user (the rest is read again in pass 2). */
interface PlanUser extends Contender {
  username: string;
  email: string;
  usernameKey: string;
  emailKey: string;
  password: PasswordOutcome;
  rawPassword: string | null;
  groups: ReturnType<typeof readUser>['groups'];
  userPermissions: ReturnType<typeof readUser>['userPermissions'];
  status: DumpStatus | null;
}

export interface ImportPlan {
  userModel: string;
  /** Objects read in pass 1. */
  objects: number;
  naturalKeys: boolean;
  idsKept: boolean;
  usersRead: number;
  /** By `userKey`. */
  decisions: Map<string, UserDecision>;
  rejected: Rejection[];
  warnings: ImportWarning[];
  skipped: Record<string, number>;
  passwords: Record<string, number>;
  groups: { name: string; existing: boolean; permissions: string[] }[];
  permissions: { codename: string; name: string; existing: boolean }[];
  memberships: number;
  directGrants: number;
  /** One stored hash per (scheme, params) class, only for the timing line; never printed. */
  hashClasses: Map<string, { scheme: DjangoScheme; params: string; sample: string }>;
  counts: { created: number; updated: number; unchanged: number };
}

export const KNOWN_SUPPORT_MODELS = new Set(['contenttypes.contenttype', 'auth.permission', 'auth.group']);

/** Pass 2 finds a row's decision by this key: its pk, or its username for natural-primary dumps. */
export function userKey(pk: number | null, username: string): string {
  return pk !== null ? `#${pk}` : `u:${username}`;
}

const PREFERRED_USER_MODELS = ['users.extenduser', 'auth.user'];

function chooseUserModel(candidates: Map<string, PlanUser[]>, asked: string | null): string {
  if (asked) {
    if (!candidates.has(asked))
      throw new DumpError(`--user-model ${asked}: the dump has no user rows of that model`);
    return asked;
  }
  for (const model of PREFERRED_USER_MODELS) if (candidates.has(model)) return model;
  if (candidates.size === 1) return [...candidates.keys()][0]!;
  if (candidates.size === 0)
    throw new DumpError('the dump has no user rows (password, username and last_login)');
  throw new DumpError(
    `several models look like users (${[...candidates.keys()].join(', ')}): pass --user-model`,
  );
}

/**
 * Pass 1: reads every object, keeps small maps, and decides each user row (create, update,
 * unchanged, reject) against the dump itself and the live database, before anything is written.
 */
export async function planImport(
  source: DumpSource,
  options: ImportOptions,
  sql: SqlClient,
  onBytes?: (read: number, objects: number) => void,
): Promise<ImportPlan> {
  const book = createReferenceBook();
  const candidates = new Map<string, PlanUser[]>();
  const statuses = new Map<string, DumpStatus>();
  const skipped: Record<string, number> = {};
  let seq = 0;
  let objects = 0;
  let naturalKeys = false;
  let missingPk = false;
  const skip = (model: string) => {
    skipped[model] = (skipped[model] ?? 0) + 1;
  };

  for await (const raw of readDumpObjects(source, (read) => onBytes?.(read, objects))) {
    objects += 1;
    const peeked = peekModel(raw);
    const mayBeUser =
      peeked === null ||
      (options.userModel
        ? peeked === options.userModel
        : raw.text.includes('"last_login"') && raw.text.includes('"password"'));
    if (
      peeked !== null &&
      !mayBeUser &&
      !KNOWN_SUPPORT_MODELS.has(peeked) &&
      peeked !== options.statusModel
    ) {
      skip(peeked);
      continue;
    }
    const { model, pk, fields } = parseDumpObject(raw);
    if (model === 'contenttypes.contenttype') book.addContentType(pk, fields);
    else if (model === 'auth.permission') book.addPermission(pk, fields, raw.offset);
    else if (model === 'auth.group') book.addGroup(pk, fields, raw.offset);
    else if (model === options.statusModel) {
      const status = readStatus(fields, raw.offset);
      if (typeof status.user !== 'number') naturalKeys = true;
      statuses.set(JSON.stringify(status.user), status);
    } else if ((options.userModel ? model === options.userModel : true) && looksLikeUser(fields)) {
      const user = readUser(pk, fields, raw.offset);
      if (user.pk === null) missingPk = true;
      if ([...user.groups, ...user.userPermissions].some((ref) => typeof ref !== 'number'))
        naturalKeys = true;
      const list = candidates.get(model) ?? [];
      candidates.set(model, list);
      list.push({
        pk: user.pk,
        seq: seq++,
        username: user.username,
        email: user.email,
        usernameKey: user.username.toLowerCase(),
        emailKey: user.email.toLowerCase(),
        isActive: user.isActive,
        verified: false,
        lastLogin: parseDjangoDate(user.lastLogin, options.timezone)?.getTime() ?? null,
        password: classifyPassword(user.password, options.hashers),
        rawPassword: user.password,
        groups: user.groups,
        userPermissions: user.userPermissions,
        status: null,
      });
    } else skip(model);
  }

  const userModel = chooseUserModel(candidates, options.userModel);
  for (const [model, rows] of candidates) if (model !== userModel) skipped[model] = rows.length;
  const users = candidates.get(userModel)!;
  const warnings: ImportWarning[] = [];
  const rejected: Rejection[] = [];
  const warn = (user: PlanUser | null, code: string, algorithm?: string) =>
    warnings.push({
      djangoPk: user?.pk ?? null,
      username: user?.username ?? null,
      code,
      ...(algorithm ? { algorithm } : {}),
    });
  const idsKept = options.ids === 'keep' && !missingPk;
  if (options.ids === 'keep' && missingPk) warn(null, 'ids_new_no_pks');
  if (options.timezone !== 'UTC') warn(null, `naive_datetimes_read_as_${options.timezone}`);

  // Status rows: by the user's pk, or by the natural key [username] (case-sensitive, as Django).
  for (const user of users) {
    user.status =
      (user.pk !== null ? statuses.get(JSON.stringify(user.pk)) : undefined) ??
      statuses.get(JSON.stringify([user.username])) ??
      null;
    user.verified = user.status ? user.status.verified : options.missingStatus === 'verified';
  }

  // Rows that cannot be imported at all.
  const reject = (user: PlanUser, reason: Rejection['reason'], extra: Partial<Rejection> = {}) =>
    rejected.push({ djangoPk: user.pk, username: user.username, reason, ...extra });
  const valid: PlanUser[] = [];
  for (const user of users) {
    if (user.username.trim() === '' || [...user.username].length > 150) reject(user, 'username_invalid');
    else if (user.email.trim() === '') reject(user, 'email_required');
    else if (user.email.length > 254) reject(user, 'email_too_long');
    else valid.push(user);
  }

  // Rule 1-2: duplicates among the dump's own rows, case-insensitively.
  const usernameLosers = losersByKey(valid, (user) => user.usernameKey);
  const emailLosers = losersByKey(valid, (user) => user.emailKey);
  const contenders: PlanUser[] = [];
  for (const user of valid) {
    const byName = usernameLosers.get(user);
    const byEmail = emailLosers.get(user);
    if (byName) reject(user, 'duplicate_username', { keptPk: byName.pk, keptUsername: byName.username });
    else if (byEmail) {
      reject(user, 'duplicate_email', {
        keptPk: byEmail.pk,
        keptUsername: byEmail.username,
        email: user.email,
      });
    } else contenders.push(user);
  }

  // Rule 3 and 6: the live database. Users an earlier import made from this dump's rows are those rows.
  const mappings = await loadMappings(sql);
  const mappedHere = new Map<number, number>(); // project user id -> django pk
  for (const user of users) {
    const mapping = user.pk !== null ? mappings.get(user.pk) : undefined;
    if (mapping) mappedHere.set(mapping.userId, user.pk!);
  }
  const secondaryKeys = contenders.flatMap((user) =>
    user.status?.secondaryEmail ? [user.status.secondaryEmail.toLowerCase()] : [],
  );
  const existing = (
    await findExistingUsers(sql, {
      usernames: contenders.map((user) => user.usernameKey),
      emails: [...contenders.map((user) => user.emailKey), ...secondaryKeys],
      ids: idsKept ? contenders.map((user) => user.pk!) : [],
    })
  ).filter((row) => !mappedHere.has(row.id));
  const takenUsernames = new Set(existing.map((row) => row.username));
  const takenEmails = new Set(
    existing.flatMap((row) => (row.secondary ? [row.email, row.secondary] : [row.email])),
  );
  const takenIds = new Set(existing.map((row) => row.id));

  const accepted: PlanUser[] = [];
  for (const user of contenders) {
    // A row an earlier run imported is its own user (excluded from `existing`); it can still meet
    // another project user if the dump renamed it since, and then the project user wins as well.
    const mapped = user.pk !== null && mappings.has(user.pk);
    if (takenUsernames.has(user.usernameKey)) reject(user, 'username_taken');
    else if (takenEmails.has(user.emailKey)) reject(user, 'email_taken', { email: user.email });
    else if (idsKept && !mapped && takenIds.has(user.pk!)) reject(user, 'id_taken');
    else accepted.push(user);
  }

  // Rule 4: secondary emails lose to every primary; between secondaries, the winner rule.
  const primaries = new Set([...accepted.map((user) => user.emailKey), ...takenEmails]);
  const secondaryOf = new Map<PlanUser, string | null>();
  const withSecondary: PlanUser[] = [];
  for (const user of accepted) {
    const secondary = user.status?.secondaryEmail ?? null;
    if (secondary !== null && secondary.length > 254) {
      secondaryOf.set(user, null);
      warn(user, 'secondary_email_invalid');
    } else if (secondary !== null && primaries.has(secondary.toLowerCase())) {
      secondaryOf.set(user, null);
      warn(user, 'secondary_email_taken');
    } else {
      secondaryOf.set(user, secondary);
      if (secondary !== null) withSecondary.push(user);
    }
  }
  for (const loser of losersByKey(withSecondary, (user) => secondaryOf.get(user)!.toLowerCase()).keys()) {
    secondaryOf.set(loser, null);
    warn(loser, 'secondary_email_taken');
  }

  // Groups and the permissions they, and direct grants, use.
  const { permissions: existingPermissions, groups: existingGroups } = await loadPermissionsAndGroups(sql);
  const usedPermissions = new Map<string, string>();
  const codenameOf = (ref: Parameters<typeof book.permissionKey>[0]): string | null => {
    const key = book.permissionKey(ref);
    if (!key) return null;
    const codename = projectCodename(key, userModel);
    if (!usedPermissions.has(codename)) usedPermissions.set(codename, book.permissionName(key) ?? codename);
    return codename;
  };
  const groups = [...book.allGroups()].map((group) => ({
    name: group.name,
    existing: existingGroups.has(group.name.toLowerCase()),
    permissions: group.permissions.flatMap((ref) => codenameOf(ref) ?? []),
  }));

  const decisions = new Map<string, UserDecision>();
  const passwords: Record<string, number> = {};
  for (const scheme of options.hashers) passwords[scheme] = 0;
  passwords.unusable = 0;
  passwords.nulled = 0;
  const hashClasses: ImportPlan['hashClasses'] = new Map();
  const counts = { created: 0, updated: 0, unchanged: 0 };
  let memberships = 0;
  let directGrants = 0;
  for (const user of accepted) {
    if (usernameProblem(user.username)) warn(user, 'username_invalid_here');
    if (emailProblem(user.email)) warn(user, 'email_invalid_here');
    if (!user.status) warn(user, 'missing_user_status');
    const outcome = user.password;
    if (outcome.kind === 'kept') {
      passwords[outcome.scheme] = (passwords[outcome.scheme] ?? 0) + 1;
      const cls = `${outcome.scheme} ${outcome.params}`;
      if (!hashClasses.has(cls))
        hashClasses.set(cls, { scheme: outcome.scheme, params: outcome.params, sample: user.rawPassword! });
    } else if (outcome.kind === 'unusable') passwords.unusable! += 1;
    else {
      passwords.nulled! += 1;
      warn(user, outcome.warning, outcome.algorithm);
    }
    const mapping = user.pk !== null ? mappings.get(user.pk) : undefined;
    const action = mapping ? (options.existing === 'update' ? 'update' : 'unchanged') : 'create';
    counts[action === 'create' ? 'created' : action === 'update' ? 'updated' : 'unchanged'] += 1;
    const userGroups = user.groups.flatMap((ref) => book.group(ref)?.name ?? []);
    const userPermissions = user.userPermissions.flatMap((ref) => codenameOf(ref) ?? []);
    memberships += userGroups.length;
    directGrants += userPermissions.length;
    decisions.set(userKey(user.pk, user.username), {
      action,
      userId: mapping ? mapping.userId : idsKept ? user.pk : null,
      verified: user.verified,
      archived: user.status?.archived ?? false,
      secondaryEmail: secondaryOf.get(user) ?? null,
      passwordKept: outcome.kind === 'kept',
      groups: userGroups,
      permissions: userPermissions,
    });
  }

  const unusedPermissions = book.permissionCount() - usedPermissions.size;
  if (unusedPermissions > 0) skipped['auth.permission (unused)'] = unusedPermissions;

  return {
    userModel,
    objects,
    naturalKeys,
    idsKept,
    usersRead: users.length,
    decisions,
    rejected,
    warnings,
    skipped,
    passwords,
    groups,
    permissions: [...usedPermissions].map(([codename, name]) => ({
      codename,
      name,
      existing: existingPermissions.has(codename),
    })),
    memberships,
    directGrants,
    hashClasses,
    counts,
  };
}
