import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/** Django checks against the 20,000 most common passwords; so do we (zxcvbn's ranked list). */
const COMMON_PASSWORD_COUNT = 20_000;

let commonPasswords: ReadonlySet<string> | null = null;

/**
 * Lazily loaded and built (required at the first check, not at start-up), so processes that never
 * validate a password do not pay for the dictionary or the set.
 */
export function isCommonPassword(password: string): boolean {
  commonPasswords ??= new Set(
    (require('@zxcvbn-ts/language-common') as typeof import('@zxcvbn-ts/language-common')).dictionary[
      'passwords-common'
    ].slice(0, COMMON_PASSWORD_COUNT),
  );
  return commonPasswords.has(password.trim().toLowerCase());
}
