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
    /**
     * The signed-in user of a request, active accounts only: one plain primary-key query mapped to
     * a managed entity, without building a query (findOne's query builder was most of `me`'s
     * database time). Already loaded in this request: no query at all.
     */
    async findActiveViewer(id: number): Promise<User | null> {
      const loaded = em.getUnitOfWork().getById<User>(User.name, id);
      if (loaded) return loaded.isActive ? loaded : null;
      const rows = await em
        .getConnection()
        .execute('select * from "user" where "id" = ? and "is_active"', [id]);
      return rows[0] ? em.map(User, rows[0]) : null;
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
