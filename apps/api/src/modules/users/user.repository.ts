import { type EntityManager, raw } from '@mikro-orm/postgresql';
import { type PreparedRead, preparedRead, preparedRows } from '../../db/prepared-read.js';
import { User } from './user.entity.js';

/**
 * The viewer's read: the entity's columns, listed from its metadata (the viewer is a whole managed
 * entity, which mutations change and flush, so no property may be missing). A list rather than `*`:
 * PostgreSQL refuses to run a prepared `*` once a column was added meanwhile (a migration during a
 * rolling deploy), while a list stays valid.
 */
let activeViewer: PreparedRead | undefined;
function activeViewerRead(em: EntityManager): PreparedRead {
  if (activeViewer) return activeViewer;
  const columns = em
    .getMetadata()
    .get(User.name)
    .props.filter((prop) => prop.persist !== false)
    .flatMap((prop) => prop.fieldNames)
    .map((column) => `"${column}"`);
  activeViewer = preparedRead(
    'user_active_viewer',
    `select ${columns.join(', ')} from "user" where "id" = ? and "is_active"`,
  );
  return activeViewer;
}

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
     * database time), run as a prepared statement past knex's runner (db/prepared-read.ts). Already
     * loaded in this request: no query at all.
     */
    async findActiveViewer(id: number): Promise<User | null> {
      const loaded = em.getUnitOfWork().getById<User>(User.name, id);
      if (loaded) return loaded.isActive ? loaded : null;
      const rows = await preparedRows(em, activeViewerRead(em), [id]);
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
