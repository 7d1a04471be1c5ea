import type { AccountDeps } from './account-deps.js';
import { createPasswordService } from './password.service.js';
import { createProfileService } from './profile.service.js';
import { createSecondaryEmailService } from './secondary-email.service.js';
import { createVerificationService } from './verification.service.js';

/**
 * Every account operation of DESIGN section 4 apart from register and sign-in. Each answers
 * `{ success: true, ... }` or `{ success: false, errors }`; only unexpected failures throw.
 */
export function createAccountService(deps: AccountDeps) {
  return {
    ...createVerificationService(deps),
    ...createPasswordService(deps),
    ...createProfileService(deps),
    ...createSecondaryEmailService(deps),
  };
}

export type AccountService = ReturnType<typeof createAccountService>;
export type { AccountDeps, AccountSettings } from './account-deps.js';
