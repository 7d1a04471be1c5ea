import type { UsersQueryVariables } from '@gql-auth/sdk';

/** Users per page of the admin list; the server caps a page at its own maximum. */
export const PAGE_SIZE = 10;

/** Where the admin list stands, as kept in the URL's search parameters. */
export interface PagePosition {
  search: string;
  after: string | null;
  before: string | null;
  /** 1-based, for display only: the cursors say which rows. */
  page: number;
}

export function readPosition(params: URLSearchParams): PagePosition {
  return {
    search: params.get('q') ?? '',
    after: params.get('after'),
    before: params.get('before'),
    page: Math.max(1, Number.parseInt(params.get('page') ?? '1', 10) || 1),
  };
}

export function writePosition(position: PagePosition): Record<string, string> {
  return {
    ...(position.search ? { q: position.search } : {}),
    ...(position.after ? { after: position.after } : {}),
    ...(position.before ? { before: position.before } : {}),
    ...(position.page > 1 ? { page: String(position.page) } : {}),
  };
}

/** Relay paging both ways: `first` after a cursor going forward, `last` before one going back. */
export function pageVariables(position: PagePosition): UsersQueryVariables {
  return {
    ...(position.before
      ? { last: PAGE_SIZE, before: position.before }
      : { first: PAGE_SIZE, ...(position.after ? { after: position.after } : {}) }),
    ...(position.search ? { username_Icontains: position.search } : {}),
  };
}
