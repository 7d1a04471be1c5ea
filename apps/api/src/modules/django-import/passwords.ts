import { type DjangoScheme, isProblem } from '../auth/django-hashers/django-hash.js';
import { parseDjangoHash } from '../auth/django-hashers/identify.js';

/** Django's `password` column and the project's `password_hash` are both 128 wide. */
const MAX_HASH_LENGTH = 128;

export type PasswordWarning =
  | 'hasher_not_allowed'
  | 'hash_malformed'
  | 'hash_parameters_out_of_bounds'
  | 'unsupported_hasher'
  | 'hash_too_long';

export type PasswordOutcome =
  | { kind: 'kept'; scheme: DjangoScheme; params: string }
  | { kind: 'unusable' }
  | { kind: 'nulled'; warning: PasswordWarning; algorithm?: string };

/**
 * What the importer stores for a dump's `password` (§6.4): the Django string verbatim when it is a
 * supported, allowed, well-formed, in-bounds hash; otherwise NULL (the passwordless state).
 * No password work: only the structure is read.
 */
export function classifyPassword(raw: string | null, allowed: ReadonlySet<DjangoScheme>): PasswordOutcome {
  if (raw === null || raw === '' || raw.startsWith('!')) return { kind: 'unusable' };
  if (raw.length > MAX_HASH_LENGTH) return { kind: 'nulled', warning: 'hash_too_long' };
  const parsed = parseDjangoHash(raw);
  if (isProblem(parsed)) {
    return parsed.problem === 'unsupported_hasher'
      ? { kind: 'nulled', warning: 'unsupported_hasher', algorithm: parsed.algorithm }
      : { kind: 'nulled', warning: parsed.problem };
  }
  if (!allowed.has(parsed.scheme))
    return { kind: 'nulled', warning: 'hasher_not_allowed', algorithm: parsed.scheme };
  return { kind: 'kept', scheme: parsed.scheme, params: parsed.params };
}
