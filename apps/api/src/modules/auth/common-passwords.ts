import { dictionary } from '@zxcvbn-ts/language-common';

/** Django checks against the 20,000 most common passwords; so do we (zxcvbn's ranked list). */
const COMMON_PASSWORD_COUNT = 20_000;

let commonPasswords: ReadonlySet<string> | null = null;

/** Lazily built so processes that never validate a password do not pay for the set. */
export function isCommonPassword(password: string): boolean {
  commonPasswords ??= new Set(dictionary['passwords-common'].slice(0, COMMON_PASSWORD_COUNT));
  return commonPasswords.has(password.trim().toLowerCase());
}
