import { checkPassword } from '../auth/password-check.js';
import type { PasswordHasher } from '../auth/password-hasher.js';
import { NON_FIELD_ERRORS } from '../base/errors/expected-errors.js';
import type { Failure } from '../base/errors/results.js';
import { failure } from '../base/errors/results.js';
import type { User } from '../users/user.entity.js';

export interface GuardRules {
  /** The operation needs a secondary email on the account. */
  secondaryEmail?: boolean;
  /** The operation is confirmed with the current password, given in argument `field`. */
  password?: { field: 'password' | 'oldPassword'; value: string };
}

export type GuardResult = Failure | { success: true; user: User };

/**
 * The guards of protected account operations after the field's `@verified` directive (which
 * answers `unauthenticated`/`not_verified` itself), in the reference's order: secondary email
 * present, password confirmed. The first that fails answers its code.
 */
export async function guardAccount(
  viewer: User,
  hasher: PasswordHasher,
  rules: GuardRules = {},
): Promise<GuardResult> {
  if (rules.secondaryEmail && !viewer.secondaryEmail) {
    return failure(NON_FIELD_ERRORS, 'secondary_email_required');
  }
  if (rules.password) {
    const { field, value } = rules.password;
    if (value === '') return failure(field, 'required');
    const failureFloor = hasher.startFailureFloor();
    // A success on a legacy (Django) hash rehashes it, as tokenAuth does.
    if (!(await checkPassword(hasher, viewer, value))) {
      await failureFloor();
      return failure(field, 'invalid_password');
    }
  }
  return { success: true, user: viewer };
}
