import { type UserFieldsFragment, UsersDocument } from '@gql-auth/sdk';
import { useQuery } from '@gql-auth/sdk/react';
import { useState } from 'react';
import { useForm } from 'react-hook-form';
import { useSearchParams } from 'react-router';
import { describeFailure } from '../messages.js';
import { Alert, Loading } from '../ui.js';
import { PAGE_SIZE, pageVariables, readPosition, writePosition } from './admin-paging.js';
import { UserPanel } from './admin-user-panel.js';

/**
 * Staff only: the API refuses everyone else (FORBIDDEN), and so does this page's first request.
 * The search and the page live in the URL (`?q=…&after=…&page=2`): back and forward page, a link
 * opens the same page. Paging follows the Relay cursors of the `users` connection both ways.
 */
export function AdminPage() {
  const [params, setParams] = useSearchParams();
  const position = readPosition(params);
  const { search, page } = position;
  const users = useQuery(UsersDocument, pageVariables(position));
  const connection = users.data?.users;
  const [selected, setSelected] = useState<UserFieldsFragment | null>(null);
  // The list's copy is the fresher one after a change; a user paged away from keeps the last known.
  const shown = connection?.edges.find((edge) => edge.node.id === selected?.id)?.node ?? selected;

  const go = (cursor: { after?: string; before?: string }, to: number) =>
    setParams(
      writePosition({ search, after: cursor.after ?? null, before: cursor.before ?? null, page: to }),
    );
  const pageInfo = connection?.pageInfo;
  const pages = connection ? Math.max(1, Math.ceil(connection.totalCount / PAGE_SIZE)) : 1;

  return (
    <section className="admin">
      <h1>Admin</h1>
      {users.error ? <Alert kind="error">{describeFailure(users.error)}</Alert> : null}
      <SearchForm
        key={search}
        search={search}
        onSearch={(text) => setParams(writePosition({ search: text, after: null, before: null, page: 1 }))}
      />
      {!connection ? (
        !users.error && <Loading what="users" />
      ) : (
        <>
          <table className="cards">
            <thead>
              <tr>
                <th>Username</th>
                <th>Email</th>
                <th>Status</th>
                <th>
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {connection.edges.map(({ node: user }) => (
                <tr key={user.id} data-testid="admin-user-row">
                  <td data-label="Username">{user.username}</td>
                  <td data-label="Email">{user.email}</td>
                  <td data-label="Status">{statusOf(user)}</td>
                  <td>
                    <button type="button" onClick={() => setSelected(user)}>
                      Manage
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <nav className="pager" aria-label="user pages">
            <button
              type="button"
              disabled={users.loading || !pageInfo?.hasPreviousPage}
              // Back to page 1 from the start (a fresh first page), else the page before this one.
              onClick={() => (page <= 2 ? go({}, 1) : go({ before: pageInfo!.startCursor! }, page - 1))}
            >
              Previous
            </button>
            <span data-testid="admin-pager-status">
              Page {Math.min(page, pages)} of {pages} · {connection.totalCount} users
            </span>
            <button
              type="button"
              disabled={users.loading || !pageInfo?.hasNextPage}
              onClick={() => go({ after: pageInfo!.endCursor! }, page + 1)}
            >
              Next
            </button>
          </nav>
        </>
      )}
      {shown && (
        <UserPanel
          key={shown.id}
          user={shown}
          onChange={(user) => {
            setSelected(user);
            void users.refetch();
          }}
        />
      )}
    </section>
  );
}

function SearchForm(props: { search: string; onSearch(text: string): void }) {
  const { register, handleSubmit } = useForm({ defaultValues: { q: props.search } });
  return (
    <form
      className="search"
      aria-label="search users"
      onSubmit={handleSubmit(({ q }) => props.onSearch(q.trim()))}
    >
      <input aria-label="Search usernames" placeholder="Search usernames" {...register('q')} />
      <button type="submit">Search</button>
    </form>
  );
}

function statusOf(user: UserFieldsFragment): string {
  return [
    user.isActive ? 'active' : 'inactive',
    user.verified ? 'verified' : 'unverified',
    user.archived && 'archived',
    user.isStaff && 'staff',
  ]
    .filter(Boolean)
    .join(', ');
}
