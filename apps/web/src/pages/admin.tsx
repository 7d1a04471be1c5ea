import type { UserFieldsFragment, UserSessionsQuery } from '@gql-auth/sdk';
import { useCallback, useEffect, useState } from 'react';
import { client } from '../client.js';
import { describeFailure } from '../messages.js';
import { Alert, Loading } from '../ui.js';

type Token = UserSessionsQuery['userSessions'][number];

/** Staff only: the API refuses everyone else (FORBIDDEN), and so does this page's first request. */
export function AdminPage() {
  const [search, setSearch] = useState('');
  const [users, setUsers] = useState<UserFieldsFragment[] | null>(null);
  const [total, setTotal] = useState(0);
  const [selected, setSelected] = useState<UserFieldsFragment | null>(null);
  const [error, setError] = useState<string | null>(null);

  const load = useCallback(async (text: string) => {
    try {
      const page = await client.users({ first: 50, ...(text ? { username_Icontains: text } : {}) });
      setUsers(page?.edges.map((edge) => edge.node) ?? []);
      setTotal(page?.totalCount ?? 0);
      setError(null);
    } catch (caught) {
      setError(describeFailure(caught));
    }
  }, []);
  useEffect(() => {
    void load('');
  }, [load]);

  return (
    <section>
      <h1>Admin</h1>
      {error && <Alert kind="error">{error}</Alert>}
      <form
        aria-label="search users"
        onSubmit={(event) => {
          event.preventDefault();
          void load(search);
        }}
      >
        <input
          aria-label="Search usernames"
          placeholder="Search usernames"
          value={search}
          onChange={(e) => setSearch(e.target.value)}
        />
        <button type="submit">Search</button>
      </form>
      {!users ? (
        !error && <Loading what="users" />
      ) : (
        <>
          <p>{total} users</p>
          <table>
            <thead>
              <tr>
                <th>Username</th>
                <th>Email</th>
                <th>Status</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {users.map((user) => (
                <tr key={user.id} data-testid="admin-user-row">
                  <td>{user.username}</td>
                  <td>{user.email}</td>
                  <td>{statusOf(user)}</td>
                  <td>
                    <button type="button" onClick={() => setSelected(user)}>
                      Manage
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
      {selected && (
        <UserPanel
          key={selected.id}
          user={selected}
          onChange={(user) => {
            setSelected(user);
            void load(search);
          }}
        />
      )}
    </section>
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

function UserPanel({
  user,
  onChange,
}: {
  user: UserFieldsFragment;
  onChange(user: UserFieldsFragment): void;
}) {
  const [tokens, setTokens] = useState<Token[] | null>(null);
  const [chosen, setChosen] = useState<Set<string>>(new Set());
  const [message, setMessage] = useState<{ kind: 'error' | 'success'; text: string } | null>(null);
  const [busy, setBusy] = useState(false);

  const loadTokens = useCallback(async () => {
    try {
      setTokens(await client.userSessions({ user: user.id }));
    } catch (caught) {
      setMessage({ kind: 'error', text: describeFailure(caught) });
    }
  }, [user.id]);
  useEffect(() => {
    void loadTokens();
  }, [loadTokens]);

  async function run(
    label: string,
    call: () => Promise<{ success: boolean; user?: UserFieldsFragment | null }>,
  ) {
    setBusy(true);
    try {
      const result = await call();
      setMessage(
        result.success
          ? { kind: 'success', text: `${label}: done.` }
          : { kind: 'error', text: `${label}: refused.` },
      );
      if (result.user) onChange(result.user);
      await loadTokens();
    } catch (caught) {
      setMessage({ kind: 'error', text: describeFailure(caught) });
    } finally {
      setBusy(false);
    }
  }

  const revokeSelected = () =>
    run('Revoke tokens', async () => {
      const result = await client.revokeUserTokens({ user: user.id, tokens: [...chosen] });
      setChosen(new Set());
      return result;
    });

  return (
    <section className="panel" aria-label={`manage ${user.username}`}>
      <h2>{user.username}</h2>
      {message && <Alert kind={message.kind}>{message.text}</Alert>}
      <div className="buttons">
        {user.archived ? (
          <button
            type="button"
            disabled={busy}
            onClick={() => run('Unarchive', () => client.unarchiveUser({ user: user.id }))}
          >
            Unarchive
          </button>
        ) : (
          <button
            type="button"
            disabled={busy}
            onClick={() => run('Archive', () => client.archiveUser({ user: user.id }))}
          >
            Archive
          </button>
        )}
        {user.isActive ? (
          <button
            type="button"
            disabled={busy}
            onClick={() => run('Deactivate', () => client.deactivateUser({ user: user.id }))}
          >
            Deactivate
          </button>
        ) : (
          <button
            type="button"
            disabled={busy}
            onClick={() => run('Activate', () => client.activateUser({ user: user.id }))}
          >
            Activate
          </button>
        )}
        {!user.verified && (
          <button
            type="button"
            disabled={busy}
            onClick={() => run('Verify', () => client.verifyUser({ user: user.id }))}
          >
            Mark verified
          </button>
        )}
      </div>
      <h3>Refresh tokens</h3>
      {!tokens ? (
        <Loading what="tokens" />
      ) : tokens.length === 0 ? (
        <p>No tokens.</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th />
              <th>Created</th>
              <th>Last used</th>
              <th>Expires</th>
              <th>State</th>
              <th>Device</th>
            </tr>
          </thead>
          <tbody>
            {tokens.map((token) => (
              <tr key={token.id} data-testid="admin-token-row">
                <td>
                  <input
                    type="checkbox"
                    aria-label={`select token ${token.id.slice(0, 8)}`}
                    disabled={!token.active}
                    checked={chosen.has(token.id)}
                    onChange={(event) => {
                      const next = new Set(chosen);
                      if (event.target.checked) next.add(token.id);
                      else next.delete(token.id);
                      setChosen(next);
                    }}
                  />
                </td>
                <td>{new Date(token.createdAt).toLocaleString()}</td>
                <td>{token.lastUsedAt ? new Date(token.lastUsedAt).toLocaleString() : '—'}</td>
                <td>{new Date(token.expiresAt).toLocaleString()}</td>
                <td>
                  {token.active
                    ? 'active'
                    : token.revokedAt
                      ? 'revoked'
                      : token.rotatedAt
                        ? 'rotated'
                        : 'expired'}
                </td>
                <td>{token.userAgent ?? '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <button type="button" disabled={busy || chosen.size === 0} onClick={revokeSelected}>
        Revoke selected ({chosen.size})
      </button>
    </section>
  );
}
