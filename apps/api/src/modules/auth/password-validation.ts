import type { ErrorCode } from '../base/errors/error-catalogue.js';
import { type ExpectedError, expectedError } from '../base/errors/expected-errors.js';
import { isCommonPassword } from './common-passwords.js';

export const MIN_PASSWORD_LENGTH = 8;
/** bcrypt only reads the first 72 bytes: longer passwords would be silently truncated. */
export const MAX_PASSWORD_BYTES = 72;
const MAX_SIMILARITY = 0.7;

/** What a password is compared with by the similarity check. */
export interface PasswordUserAttributes {
  username?: string | null;
  email?: string | null;
  firstName?: string | null;
  lastName?: string | null;
}

/**
 * Django's default validators (user attribute similarity, minimum length 8, common passwords,
 * entirely numeric) plus bcrypt's 72-byte limit. Returns every failure, in Django's order.
 */
export function validatePassword(password: string, user: PasswordUserAttributes): ExpectedError[] {
  const failures: ErrorCode[] = [];
  if (isTooSimilar(password, user)) failures.push('password_too_similar');
  if ([...password].length < MIN_PASSWORD_LENGTH) failures.push('password_too_short');
  if (isCommonPassword(password)) failures.push('password_too_common');
  if (/^\d+$/u.test(password)) failures.push('password_entirely_numeric');
  if (Buffer.byteLength(password, 'utf8') > MAX_PASSWORD_BYTES) failures.push('password_too_long');
  return failures.map((code) => expectedError(code));
}

/** Django's UserAttributeSimilarityValidator, including its length-ratio shortcut. */
function isTooSimilar(password: string, user: PasswordUserAttributes): boolean {
  const lowered = password.toLowerCase();
  for (const value of [user.username, user.firstName, user.lastName, user.email]) {
    if (!value) continue;
    const valueLower = value.toLowerCase();
    const parts = [...valueLower.split(/\W+/u), valueLower];
    for (const part of parts) {
      if (exceedsMaximumLengthRatio(lowered, part)) continue;
      if (quickRatio(lowered, part) >= MAX_SIMILARITY) return true;
    }
  }
  return false;
}

function exceedsMaximumLengthRatio(password: string, value: string): boolean {
  const passwordLength = password.length;
  const lengthBoundSimilarity = (MAX_SIMILARITY / 2) * passwordLength;
  return passwordLength >= 10 * value.length && value.length < lengthBoundSimilarity;
}

/** Python's difflib.SequenceMatcher.quick_ratio: 2 * shared characters (as multisets) / total length. */
export function quickRatio(a: string, b: string): number {
  const total = a.length + b.length;
  if (total === 0) return 1;
  const available = new Map<string, number>();
  for (const char of b) available.set(char, (available.get(char) ?? 0) + 1);
  let matches = 0;
  for (const char of a) {
    const count = available.get(char) ?? 0;
    if (count > 0) {
      matches += 1;
      available.set(char, count - 1);
    }
  }
  return (2 * matches) / total;
}
