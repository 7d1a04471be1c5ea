import { type EntityManager, raw } from '@mikro-orm/postgresql';
import { User } from './user.entity.js';

/**
 * User look-ups. Emails and usernames compare case-insensitively through the `lower(...)` unique
 * indexes, so `Alice` and `alice` are the same account.
 */
export function createUserRepository(em: EntityManager) {
  return {
    findById(id: number): Promise<User | null> {
      return em.findOne(User, { id });
    },
    findByUsername(username: string): Promise<User | null> {
      return em.findOne(User, { [raw('lower(username)')]: username.toLowerCase() });
    },
    findByEmail(email: string): Promise<User | null> {
      return em.findOne(User, { [raw('lower(email)')]: email.toLowerCase() });
    },
    async usernameTaken(username: string): Promise<boolean> {
      return (await em.count(User, { [raw('lower(username)')]: username.toLowerCase() })) > 0;
    },
    /** An address is taken when it is anyone's primary or secondary email. */
    async emailTaken(email: string): Promise<boolean> {
      const lowered = email.toLowerCase();
      const count = await em.count(User, {
        $or: [{ [raw('lower(email)')]: lowered }, { [raw('lower(secondary_email)')]: lowered }],
      });
      return count > 0;
    },
  };
}

export type UserRepository = ReturnType<typeof createUserRepository>;
