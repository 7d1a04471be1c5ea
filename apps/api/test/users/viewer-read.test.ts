import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { User } from '../../src/modules/users/user.entity.js';
import { createUserRepository } from '../../src/modules/users/user.repository.js';
import { createUser } from '../support/fixtures.js';
import { createTestInstance, TEST_MODES, type TestInstance } from '../support/test-instance.js';

// The viewer's read runs as a prepared statement past knex (db/prepared-read.ts): it must map to the
// very entity the ORM's own load gives, stay a managed entity (mutations flush it), and take the
// ordinary path inside a transaction and when knex's query events are listened to (tracing).
describe.each(TEST_MODES)('findActiveViewer (%s)', (mode) => {
  let api: TestInstance;
  let active: User;
  let inactive: User;

  beforeAll(async () => {
    api = await createTestInstance(mode);
    active = await createUser(api, { username: 'viewer', secondaryEmail: 'Viewer.Alt@example.org' });
    inactive = await createUser(api, { username: 'gone', isActive: false });
  });
  afterAll(async () => {
    await api?.close();
  });

  const fork = () => api.services.db.orm.em.fork();

  it('maps every column as the ORM does, twice on one connection (the prepared statement reused)', async () => {
    const expected = await fork().findOneOrFail(User, { id: active.id });
    // knex's client reports each statement its runner runs: none here, the read went past it.
    const client = api.services.db.orm.em.getConnection().getKnex().client as {
      on(event: 'query', listener: () => void): void;
      removeListener(event: 'query', listener: () => void): void;
    };
    let throughKnex = 0;
    const count = () => throughKnex++;
    client.on('query', count);
    try {
      for (let i = 0; i < 3; i++) {
        const viewer = await createUserRepository(fork()).findActiveViewer(active.id);
        expect(viewer).toBeInstanceOf(User);
        expect({ ...viewer }).toEqual({ ...expected });
        expect(viewer?.dateJoined).toBeInstanceOf(Date);
      }
    } finally {
      client.removeListener('query', count);
    }
    expect(throughKnex).toBe(0);
  });

  it('answers null for an inactive or unknown user', async () => {
    expect(await createUserRepository(fork()).findActiveViewer(inactive.id)).toBeNull();
    expect(await createUserRepository(fork()).findActiveViewer(999_999)).toBeNull();
  });

  it('returns a managed entity: a change to it is flushed', async () => {
    const em = fork();
    const viewer = await createUserRepository(em).findActiveViewer(active.id);
    viewer!.firstName = 'Changed';
    await em.flush();
    expect((await fork().findOneOrFail(User, { id: active.id })).firstName).toBe('Changed');
  });

  it('sees the fork transaction’s own writes', async () => {
    const inside = fork().transactional(async (em) => {
      await em.nativeUpdate(User, { id: active.id }, { isActive: false });
      expect(await createUserRepository(em).findActiveViewer(active.id)).toBeNull();
      throw new Error('roll back');
    });
    await expect(inside).rejects.toThrow('roll back');
    expect(await createUserRepository(fork()).findActiveViewer(active.id)).not.toBeNull();
  });

  it('goes through knex (and its query events) when something listens to them', async () => {
    const knex = api.services.db.orm.em.getConnection().getKnex();
    const seen: string[] = [];
    const listener = (query: { sql: string }) => seen.push(query.sql);
    knex.on('query', listener);
    try {
      expect(await createUserRepository(fork()).findActiveViewer(active.id)).not.toBeNull();
    } finally {
      knex.removeListener('query', listener);
    }
    expect(seen).toEqual([expect.stringContaining('from "user" where "id" = ')]);
  });
});
