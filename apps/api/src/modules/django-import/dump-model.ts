import { DumpError } from './dump-reader.js';

/** A reference to a row, as dumpdata writes it: an integer pk, or a natural key (an array). */
export type Ref = number | string[];

export function asRef(value: unknown, where: string): Ref {
  if (typeof value === 'number' && Number.isInteger(value)) return value;
  if (Array.isArray(value) && value.every((part) => typeof part === 'string')) return value as string[];
  throw new DumpError(`${where}: a reference is neither a pk nor a natural key`);
}

export function refKey(ref: Ref): string {
  return typeof ref === 'number' ? `#${ref}` : JSON.stringify(ref);
}

/** The user rows' own fields, as pass 1 and pass 2 both read them. */
export interface DumpUser {
  pk: number | null;
  username: string;
  email: string;
  password: string | null;
  firstName: string;
  lastName: string;
  isActive: boolean;
  isStaff: boolean;
  isSuperuser: boolean;
  dateJoined: string | null;
  lastLogin: string | null;
  groups: Ref[];
  userPermissions: Ref[];
}

const str = (value: unknown): string =>
  typeof value === 'string' ? value : value == null ? '' : String(value);

/** A user model's rows carry these (the spec's detection rule). */
export function looksLikeUser(fields: Record<string, unknown>): boolean {
  return 'password' in fields && 'username' in fields && 'last_login' in fields;
}

export function readUser(pk: unknown, fields: Record<string, unknown>, offset: number): DumpUser {
  const where = `user row at byte ${offset}`;
  const list = (value: unknown) => (Array.isArray(value) ? value.map((ref) => asRef(ref, where)) : []);
  return {
    pk: typeof pk === 'number' && Number.isInteger(pk) ? pk : null,
    username: str(fields.username),
    email: str(fields.email),
    password: typeof fields.password === 'string' ? fields.password : null,
    firstName: str(fields.first_name),
    lastName: str(fields.last_name),
    isActive: fields.is_active !== false,
    isStaff: fields.is_staff === true,
    isSuperuser: fields.is_superuser === true,
    dateJoined: typeof fields.date_joined === 'string' ? fields.date_joined : null,
    lastLogin: typeof fields.last_login === 'string' ? fields.last_login : null,
    groups: list(fields.groups),
    userPermissions: list(fields.user_permissions),
  };
}

/** django-graphql-auth's UserStatus row. */
export interface DumpStatus {
  user: Ref;
  verified: boolean;
  archived: boolean;
  secondaryEmail: string | null;
}

export function readStatus(fields: Record<string, unknown>, offset: number): DumpStatus {
  const secondary = typeof fields.secondary_email === 'string' ? fields.secondary_email.trim() : '';
  return {
    user: asRef(fields.user, `status row at byte ${offset}`),
    verified: fields.verified === true,
    archived: fields.archived === true,
    secondaryEmail: secondary === '' ? null : secondary,
  };
}

/**
 * A Django datetime as `DjangoJSONEncoder` writes it: ISO-8601 with `Z` or an offset (USE_TZ=True),
 * or naive (USE_TZ=False), read in `zone`. Null when absent or unreadable.
 */
export function parseDjangoDate(text: string | null, zone: string): Date | null {
  if (text === null) return null;
  const match =
    /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,6}))?)?(Z|[+-]\d{2}:?\d{2})?$/.exec(
      text,
    );
  if (!match) return null;
  const [, y, mo, d, h, mi, s = '0', frac = '0', tz] = match;
  const ms = Number(frac.padEnd(3, '0').slice(0, 3));
  const wall = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s), ms);
  if (tz === 'Z') return new Date(wall);
  if (tz) {
    const sign = tz.startsWith('-') ? -1 : 1;
    const digits = tz.slice(1).replace(':', '');
    return new Date(wall - sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2))) * 60_000);
  }
  if (zone === 'UTC') return new Date(wall);
  // Naive: the instant whose wall-clock time in `zone` is `wall` (two passes settle DST edges).
  let instant = wall - zoneOffsetMs(wall, zone);
  instant = wall - zoneOffsetMs(instant, zone);
  return new Date(instant);
}

function zoneOffsetMs(instant: number, zone: string): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone: zone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).formatToParts(new Date(instant));
  const get = (type: string) => Number(parts.find((part) => part.type === type)?.value);
  const asUtc = Date.UTC(
    get('year'),
    get('month') - 1,
    get('day'),
    get('hour'),
    get('minute'),
    get('second'),
  );
  return asUtc - Math.floor(instant / 1000) * 1000;
}
