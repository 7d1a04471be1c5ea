import type { User } from '../users/user.entity.js';
import type { PasswordHasher } from './password-hasher.js';

/**
 * Checks `password` for `user` (or, for an unknown login or a passwordless account, against the
 * dummy hash, in the same time). A success on a hash that is not the project's scheme at the
 * configured cost rehashes it, for an active user; the rehash never fails the check.
 */
export async function checkPassword(
  hasher: PasswordHasher,
  user: Pick<User, 'id' | 'passwordHash' | 'isActive'> | null,
  password: string,
): Promise<boolean> {
  if (user?.passwordHash == null) return hasher.verifyAgainstDummy(password);
  const result = await hasher.verify(password, user.passwordHash, user.id);
  if (result.ok && result.needsUpgrade && user.isActive) {
    await hasher.upgrade(user.id, user.passwordHash, password, result.scheme);
  }
  return result.ok;
}
