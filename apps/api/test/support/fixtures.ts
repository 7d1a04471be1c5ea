import type { EntityManager } from '@mikro-orm/postgresql';
import { User } from '../../src/modules/users/user.entity.js';
import type { TestInstance } from './test-instance.js';

export const FIXTURE_PASSWORD = 'fixture-Pass-42';

export interface UserSpec {
  username: string;
  email?: string;
  isStaff?: boolean;
  isSuperuser?: boolean;
  verified?: boolean;
  isActive?: boolean;
  archived?: boolean;
  secondaryEmail?: string | null;
  dateJoined?: Date;
}

const hashes = new WeakMap<TestInstance, Promise<string>>();

/** One bcrypt hash of FIXTURE_PASSWORD per instance: creating 100 users must not hash 100 times. */
function passwordHash(api: TestInstance): Promise<string> {
  let hash = hashes.get(api);
  if (!hash) {
    hash = api.services.hasher.hash(FIXTURE_PASSWORD);
    hashes.set(api, hash);
  }
  return hash;
}

function em(api: TestInstance): EntityManager {
  return api.services.db.orm.em.fork() as EntityManager;
}

/** Inserts users straight through the ORM (fast, and able to set staff/superuser flags). */
export async function createUsers(api: TestInstance, specs: readonly UserSpec[]): Promise<User[]> {
  const fork = em(api);
  const hash = await passwordHash(api);
  const users = specs.map((spec) => {
    const user = new User();
    user.username = spec.username;
    user.email = spec.email ?? `${spec.username}@example.com`;
    user.passwordHash = hash;
    user.isStaff = spec.isStaff ?? false;
    user.isSuperuser = spec.isSuperuser ?? false;
    user.verified = spec.verified ?? true;
    user.isActive = spec.isActive ?? true;
    user.archived = spec.archived ?? false;
    user.secondaryEmail = spec.secondaryEmail ?? null;
    user.dateJoined = spec.dateJoined ?? api.clock.now();
    fork.persist(user);
    return user;
  });
  await fork.flush();
  return users;
}

export async function createUser(api: TestInstance, spec: UserSpec): Promise<User> {
  const [user] = await createUsers(api, [spec]);
  return user!;
}

/** An access token for the user, signed by the instance's own keys (no sign-in, no audit row). */
export async function tokenFor(api: TestInstance, user: User): Promise<string> {
  return (await api.services.accessTokens.sign(user)).token;
}

/** A user plus an access token: the usual start of an admin test. */
export async function createSignedIn(
  api: TestInstance,
  spec: UserSpec,
): Promise<{ user: User; token: string }> {
  const user = await createUser(api, spec);
  return { user, token: await tokenFor(api, user) };
}
