import {
  MeDocument,
  UserDocument,
  UsersDocument,
  type UsersQuery,
  type UsersQueryVariables,
} from '@gql-auth/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toGlobalId } from '../../src/modules/base/global-id.js';
import type { User } from '../../src/modules/users/user.entity.js';
import { createSignedIn, createUsers } from '../support/fixtures.js';
import { countQueries } from '../support/query-counter.js';
import { testClockStart } from '../support/test-clock.js';
import { createTestInstance, type TestInstance } from '../support/test-instance.js';

// Join dates a year before the test clock starts, one day apart.
const T0 = testClockStart().getTime() - 365 * 86_400_000;
const day = (n: number) => new Date(T0 + n * 86_400_000);

describe('user and users: staff only, filtered, paginated (postgres+redis)', () => {
  let api: TestInstance;
  let staffToken: string;
  let plainToken: string;
  let people: User[];

  beforeAll(async () => {
    api = await createTestInstance('postgres+redis', { MAX_PAGE_SIZE: '100' });
    const staff = await createSignedIn(api, { username: 'staffer', isStaff: true, dateJoined: day(0) });
    const plain = await createSignedIn(api, { username: 'plain', dateJoined: day(1) });
    staffToken = staff.token;
    plainToken = plain.token;
    people = await createUsers(api, [
      { username: 'alice', dateJoined: day(2) },
      { username: 'Alicia', dateJoined: day(3) },
      { username: 'bob_smith', dateJoined: day(4) },
      // Same instant as bob_smith: the pk breaks the tie, so the order stays stable.
      { username: 'bobby', dateJoined: day(4) },
      { username: 'carol', archived: true, dateJoined: day(5) },
      { username: 'dave', isActive: false, dateJoined: day(6) },
      { username: 'erin', verified: false, dateJoined: day(7) },
      { username: 'frank', secondaryEmail: 'Frank.Alt@example.org', dateJoined: day(8) },
    ]);
  });
  afterAll(async () => {
    await api?.close();
  });

  type Page = NonNullable<UsersQuery['users']>;
  /** One staff request for a page; typed apart so cursor loops do not make inference circular. */
  async function fetchPage(variables: UsersQueryVariables): Promise<Page> {
    const { data, errors } = await api.gql(UsersDocument, variables, { token: staffToken });
    expect(errors).toBeUndefined();
    return data!.users!;
  }

  const names = (
    data: { users?: { edges: Array<{ node: { username: string } }> } | null } | null | undefined,
  ) => data?.users?.edges.map((edge) => edge.node.username);

  it('refuses anonymous callers with UNAUTHENTICATED and ordinary users with FORBIDDEN', async () => {
    const id = toGlobalId('UserNode', people[0]!.id);
    const anonymous = await api.gql(UsersDocument, {});
    expect(anonymous.data?.users ?? null).toBeNull();
    expect(anonymous.errors).toEqual([
      expect.objectContaining({
        message: '`users`: You must be signed in to do this.',
        extensions: { code: 'UNAUTHENTICATED' },
      }),
    ]);
    const anonymousUser = await api.gql(UserDocument, { id });
    expect(anonymousUser.errors?.[0]?.extensions).toEqual({ code: 'UNAUTHENTICATED' });

    for (const refused of [
      await api.gql(UsersDocument, {}, { token: plainToken }),
      await api.gql(UserDocument, { id }, { token: plainToken }),
    ]) {
      expect(refused.errors).toEqual([
        expect.objectContaining({
          message: expect.stringContaining('Staff only.'),
          extensions: { code: 'FORBIDDEN' },
        }),
      ]);
      expect(JSON.stringify(refused.data)).not.toContain('@example.com');
    }
    // `me` stays public.
    expect((await api.gql(MeDocument, {}, { token: plainToken })).data?.me?.username).toBe('plain');
  });

  it('lets staff read one user by global id; unknown and foreign ids give null', async () => {
    const alice = people[0]!;
    const { data, errors } = await api.gql(
      UserDocument,
      { id: toGlobalId('UserNode', alice.id) },
      { token: staffToken },
    );
    expect(errors).toBeUndefined();
    expect(data?.user).toMatchObject({ username: 'alice', email: 'alice@example.com', pk: alice.id });
    expect(
      (await api.gql(UserDocument, { id: toGlobalId('UserNode', 999_999) }, { token: staffToken })).data,
    ).toEqual({
      user: null,
    });
    expect(
      (await api.gql(UserDocument, { id: toGlobalId('Other', alice.id) }, { token: staffToken })).data,
    ).toEqual({
      user: null,
    });
  });

  it('lists everyone in (dateJoined, pk) order with totalCount', async () => {
    const { data, errors } = await api.gql(UsersDocument, {}, { token: staffToken });
    expect(errors).toBeUndefined();
    expect(data?.users?.totalCount).toBe(10);
    expect(names(data)).toEqual([
      'staffer',
      'plain',
      'alice',
      'Alicia',
      'bob_smith',
      'bobby',
      'carol',
      'dave',
      'erin',
      'frank',
    ]);
  });

  it.each<[string, UsersQueryVariables, string[]]>([
    ['email (case-insensitive)', { email: 'ALICE@Example.com' }, ['alice']],
    ['username (case-insensitive)', { username: 'BOBBY' }, ['bobby']],
    ['username_Icontains', { username_Icontains: 'LIC' }, ['alice', 'Alicia']],
    ['username_Icontains treats _ literally', { username_Icontains: 'b_' }, ['bob_smith']],
    ['username_Istartswith', { username_Istartswith: 'bo' }, ['bob_smith', 'bobby']],
    ['username_Istartswith treats % literally', { username_Istartswith: '%' }, []],
    ['isActive false', { isActive: false }, ['dave']],
    ['status_Archived true', { status_Archived: true }, ['carol']],
    ['status_Verified false', { status_Verified: false }, ['erin']],
    ['status_SecondaryEmail', { status_SecondaryEmail: 'frank.alt@EXAMPLE.org' }, ['frank']],
    [
      'filters combined with AND',
      { username_Istartswith: 'a', isActive: true, status_Archived: false },
      ['alice', 'Alicia'],
    ],
  ])('filters by %s', async (_label, variables, expected) => {
    const { data, errors } = await api.gql(UsersDocument, variables, { token: staffToken });
    expect(errors).toBeUndefined();
    expect(names(data)).toEqual(expected);
    expect(data?.users?.totalCount).toBe(expected.length);
  });

  it('pages forward with first/after and exact pageInfo', async () => {
    const seen: string[] = [];
    const infos: Array<{ hasNextPage: boolean; hasPreviousPage: boolean }> = [];
    let after: string | null = null;
    for (;;) {
      const page: Page = await fetchPage({ first: 3, after });
      expect(page.totalCount).toBe(10);
      seen.push(...page.edges.map((edge) => edge.node.username));
      infos.push({ hasNextPage: page.pageInfo.hasNextPage, hasPreviousPage: page.pageInfo.hasPreviousPage });
      expect(page.pageInfo.startCursor).toBe(page.edges[0]?.cursor ?? null);
      expect(page.pageInfo.endCursor).toBe(page.edges.at(-1)?.cursor ?? null);
      if (!page.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor;
    }
    expect(seen).toEqual(names((await api.gql(UsersDocument, {}, { token: staffToken })).data));
    expect(infos).toEqual([
      { hasNextPage: true, hasPreviousPage: false },
      { hasNextPage: true, hasPreviousPage: true },
      { hasNextPage: true, hasPreviousPage: true },
      { hasNextPage: false, hasPreviousPage: true },
    ]);
  });

  it('pages backward with last/before and exact pageInfo', async () => {
    const seen: string[] = [];
    const infos: Array<{ hasNextPage: boolean; hasPreviousPage: boolean }> = [];
    let before: string | null = null;
    for (;;) {
      const page: Page = await fetchPage({ last: 4, before });
      seen.unshift(...page.edges.map((edge) => edge.node.username));
      infos.push({ hasNextPage: page.pageInfo.hasNextPage, hasPreviousPage: page.pageInfo.hasPreviousPage });
      if (!page.pageInfo.hasPreviousPage) break;
      before = page.pageInfo.startCursor;
    }
    expect(seen).toEqual(names((await api.gql(UsersDocument, {}, { token: staffToken })).data));
    expect(infos).toEqual([
      { hasNextPage: false, hasPreviousPage: true },
      { hasNextPage: true, hasPreviousPage: true },
      { hasNextPage: true, hasPreviousPage: false },
    ]);
  });

  it('combines after and before into a window, with filters', async () => {
    const all = (await api.gql(UsersDocument, {}, { token: staffToken })).data!.users!.edges;
    const window = await api.gql(
      UsersDocument,
      { after: all[1]!.cursor, before: all[6]!.cursor, first: 10 },
      { token: staffToken },
    );
    expect(names(window.data)).toEqual(['alice', 'Alicia', 'bob_smith', 'bobby']);
    expect(window.data?.users?.pageInfo).toMatchObject({ hasPreviousPage: true, hasNextPage: true });
    const filtered = await api.gql(
      UsersDocument,
      { username_Istartswith: 'b', after: all[4]!.cursor },
      { token: staffToken },
    );
    expect(names(filtered.data)).toEqual(['bobby']);
    expect(filtered.data?.users).toMatchObject({
      totalCount: 2,
      pageInfo: { hasPreviousPage: true, hasNextPage: false },
    });
  });

  it('rejects bad cursors and page sizes with clear errors', async () => {
    const cases: Array<[UsersQueryVariables, string]> = [
      [{ after: 'garbage' }, '`after` is not a valid cursor of this connection.'],
      [
        { before: Buffer.from('users:nope|1').toString('base64') },
        '`before` is not a valid cursor of this connection.',
      ],
      [{ first: -1 }, '`first` must be a non-negative integer.'],
      [{ first: 1, last: 1 }, 'Give `first` or `last`, not both.'],
    ];
    for (const [variables, message] of cases) {
      const { errors } = await api.gql(UsersDocument, variables, { token: staffToken });
      expect(errors).toEqual([
        expect.objectContaining({ message, extensions: expect.objectContaining({ code: 'BAD_USER_INPUT' }) }),
      ]);
    }
    const empty = await api.gql(UsersDocument, { first: 0 }, { token: staffToken });
    expect(empty.data?.users).toMatchObject({ edges: [], totalCount: 10, pageInfo: { hasNextPage: true } });
  });

  it('serves a 100-user page in exactly 3 SQL queries (viewer, count, page), capped at MAX_PAGE_SIZE', async () => {
    await createUsers(
      api,
      Array.from({ length: 150 }, (_, index) => ({
        username: `bulk${String(index).padStart(3, '0')}`,
        dateJoined: day(100 + index),
      })),
    );
    const { result, queries } = await countQueries(api.services, () =>
      api.gql(UsersDocument, { first: 1000 }, { token: staffToken }),
    );
    expect(result.errors).toBeUndefined();
    expect(result.data?.users?.edges).toHaveLength(100);
    expect(result.data?.users?.totalCount).toBe(160);
    expect(result.data?.users?.pageInfo.hasNextPage).toBe(true);
    expect(queries).toHaveLength(3);

    // The same bound walking backwards from the end.
    const backwards = await countQueries(api.services, () =>
      api.gql(UsersDocument, { last: 100 }, { token: staffToken }),
    );
    expect(backwards.result.data?.users?.edges.at(-1)?.node.username).toBe('bulk149');
    expect(backwards.queries).toHaveLength(3);
  });
});

describe('users (embedded smoke)', () => {
  let api: TestInstance;
  beforeAll(async () => {
    api = await createTestInstance('embedded');
  });
  afterAll(async () => {
    await api?.close();
  });

  it('staff page through users on PGlite; others are refused', async () => {
    const { token } = await createSignedIn(api, { username: 'staffer', isStaff: true, dateJoined: day(0) });
    const plain = await createSignedIn(api, { username: 'plain', dateJoined: day(1) });
    await createUsers(api, [
      { username: 'amy', dateJoined: day(2) },
      { username: 'ann', dateJoined: day(3), verified: false },
    ]);
    const first = await api.gql(UsersDocument, { first: 2 }, { token });
    expect(names(first.data)).toEqual(['staffer', 'plain']);
    const next = await api.gql(
      UsersDocument,
      { first: 2, after: first.data!.users!.pageInfo.endCursor },
      { token },
    );
    expect(next.data?.users).toMatchObject({
      totalCount: 4,
      pageInfo: { hasNextPage: false, hasPreviousPage: true },
    });
    expect(names(next.data)).toEqual(['amy', 'ann']);
    expect(names((await api.gql(UsersDocument, { status_Verified: false }, { token })).data)).toEqual([
      'ann',
    ]);
    expect((await api.gql(UsersDocument, {}, { token: plain.token })).errors?.[0]?.extensions?.code).toBe(
      'FORBIDDEN',
    );
  });

  function names(
    data: { users?: { edges: Array<{ node: { username: string } }> } | null } | null | undefined,
  ) {
    return data?.users?.edges.map((edge) => edge.node.username);
  }
});
