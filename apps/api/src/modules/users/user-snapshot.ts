import type { UserSnapshot } from '../events/app-events.js';
import type { User } from './user.entity.js';

/** What event subscribers learn about a user: a copy, valid even after a hard delete. */
export function snapshotOf(user: User): UserSnapshot {
  return { id: user.id, username: user.username, email: user.email };
}
