import { SessionsDocument } from '@gql-auth/sdk';
import { useQuery } from '@gql-auth/sdk/react';
import { useState } from 'react';
import { client } from '../client.js';
import { describeFailure } from '../messages.js';
import { Alert, Loading } from '../ui.js';

export function SessionsPage() {
  // The SDK's React query hook: loads on mount, keeps the last list while it reloads.
  const query = useQuery(SessionsDocument);
  const sessions = query.data?.sessions ?? null;
  const [actionError, setError] = useState<string | null>(null);
  const error = actionError ?? (query.error ? describeFailure(query.error) : null);
  const [busy, setBusy] = useState<string | null>(null);
  const load = async () => {
    setError(null);
    await query.refetch();
  };

  async function act(key: string, call: () => Promise<{ success: boolean }>, endsThisSession = false) {
    setBusy(key);
    try {
      const result = await call();
      if (!result.success) setError('The server refused: reload the list and try again.');
      // Revoking our own session: forget it here too, rather than wait for a refused refresh.
      if (result.success && endsThisSession) return void (await client.signOut());
      await load();
    } catch (caught) {
      setError(describeFailure(caught));
    } finally {
      setBusy(null);
    }
  }

  return (
    <section>
      <h1>Your sessions</h1>
      {error && <Alert kind="error">{error}</Alert>}
      {!sessions ? (
        !error && <Loading what="sessions" />
      ) : (
        <>
          <table>
            <thead>
              <tr>
                <th>Device</th>
                <th>Network</th>
                <th>Signed in</th>
                <th>Last active</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {sessions.map((session) => (
                <tr key={session.id} data-testid="session-row">
                  <td>
                    {session.userAgent ?? 'Unknown device'}{' '}
                    {session.current && <span className="badge">this device</span>}
                  </td>
                  <td>{session.ip ?? '—'}</td>
                  <td>{new Date(session.created).toLocaleString()}</td>
                  <td>{new Date(session.lastUsed).toLocaleString()}</td>
                  <td>
                    <button
                      type="button"
                      disabled={busy !== null}
                      onClick={() =>
                        act(session.id, () => client.revokeSession({ id: session.id }), session.current)
                      }
                    >
                      {busy === session.id ? 'Revoking…' : 'Revoke'}
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <button
            type="button"
            disabled={busy !== null}
            onClick={() => act('others', () => client.revokeOtherSessions())}
          >
            {busy === 'others' ? 'Signing out…' : 'Sign out all other sessions'}
          </button>
        </>
      )}
    </section>
  );
}
