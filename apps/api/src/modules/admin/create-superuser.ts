import type { EntityManager } from '@mikro-orm/postgresql';
import type { AuditLog } from '../audit/audit.service.js';
import type { PasswordHasher } from '../auth/password-hasher.js';
import { validatePassword } from '../auth/password-validation.js';
import type { Clock } from '../base/clock.js';
import { type ExpectedError, expectedError } from '../base/errors/expected-errors.js';
import { User } from '../users/user.entity.js';
import { createUserRepository } from '../users/user.repository.js';
import { emailProblem, usernameProblem } from '../users/user-validation.js';

export interface SuperuserInput {
  username: string;
  email: string;
  password: string;
}

/** Problems with one field of a superuser, checked the way `register` checks a user. */
export async function usernameErrors(em: EntityManager, username: string): Promise<ExpectedError[]> {
  const code = usernameProblem(username);
  if (code) return [expectedError(code)];
  if (await createUserRepository(em).usernameTaken(username)) {
    return [expectedError('unique', 'A user with that username already exists.')];
  }
  return [];
}

export async function emailErrors(em: EntityManager, email: string): Promise<ExpectedError[]> {
  const code = emailProblem(email);
  if (code) return [expectedError(code)];
  if (await createUserRepository(em).emailTaken(email)) {
    return [expectedError('unique', 'A user with that email already exists.')];
  }
  return [];
}

export function passwordErrors(input: SuperuserInput): ExpectedError[] {
  if (input.password === '') return [expectedError('required')];
  return validatePassword(input.password, { username: input.username, email: input.email });
}

/**
 * Creates an active, verified staff superuser (Django's `createsuperuser`), after the same username,
 * email and password checks as registration. Audited as `cli.create_superuser`.
 */
export async function createSuperuser(
  deps: { em: EntityManager; hasher: PasswordHasher; clock: Clock; audit: AuditLog },
  raw: SuperuserInput,
): Promise<{ ok: true; user: User } | { ok: false; errors: Record<string, ExpectedError[]> }> {
  const input = { ...raw, username: raw.username.trim(), email: raw.email.trim() };
  const errors: Record<string, ExpectedError[]> = {};
  for (const [field, found] of [
    ['username', await usernameErrors(deps.em, input.username)],
    ['email', await emailErrors(deps.em, input.email)],
    ['password', passwordErrors(input)],
  ] as const) {
    if (found.length > 0) errors[field] = found;
  }
  if (Object.keys(errors).length > 0) return { ok: false, errors };

  const user = new User();
  user.username = input.username;
  user.email = input.email;
  user.passwordHash = await deps.hasher.hash(input.password);
  user.isStaff = true;
  user.isSuperuser = true;
  user.verified = true;
  user.dateJoined = deps.clock.now();
  await deps.em.persistAndFlush(user);
  await deps.audit.record(deps.em, {
    action: 'cli.create_superuser',
    actorId: null,
    targetType: 'user',
    targetId: user.id,
    metadata: { username: user.username },
  });
  return { ok: true, user };
}
