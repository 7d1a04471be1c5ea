import { type EntityManager, raw } from '@mikro-orm/postgresql';
import { User } from './user.entity.js';

/**
 * The user whose primary or secondary email is `email` (case-insensitive), in one query so both
 * outcomes cost the same. A primary match wins; the unique indexes allow at most one of each.
 */
export async function findUserByAnyEmail(
  em: EntityManager,
  email: string,
): Promise<{ user: User; matched: 'primary' | 'secondary' } | null> {
  const lowered = email.toLowerCase();
  const users = await em.find(User, {
    $or: [{ [raw('lower(email)')]: lowered }, { [raw('lower(secondary_email)')]: lowered }],
  });
  const primary = users.find((user) => user.email.toLowerCase() === lowered);
  if (primary) return { user: primary, matched: 'primary' };
  const secondary = users.find((user) => user.secondaryEmail?.toLowerCase() === lowered);
  return secondary ? { user: secondary, matched: 'secondary' } : null;
}
