import { RevokeOtherSessionsDocument, RevokeSessionDocument, SessionsDocument } from '@gql-auth/sdk';
import { useAuthClient, useMutation, useQuery } from '@gql-auth/sdk/react';
import { useState } from 'react';
import { type Outcome, outcomeMessage } from '../forms.js';
import { describeFailure } from '../messages.js';
import { Alert, Loading } from '../ui.js';

export function SessionsPage() {
  const client = useAuthClient();
  // The SDK's React query hook: loads on mount, keeps the last list while it reloads.
  const query = useQuery(SessionsDocument);
  const [revokeSession] = useMutation(RevokeSessionDocument);
  const [revokeOthers] = useMutation(RevokeOtherSessionsDocument);
  const sessions = query.data?.sessions ?? null;
  const [actionError, setError] = useState<string | null>(null);
  const error = actionError ?? (query.error ? describeFailure(query.error) : null);
  const [busy, setBusy] = useState<string | null>(null);

  async function act(key: string, call: () => Promise<Outcome>, endsThisSession = false) {
    setBusy(key);
    setError(null);
    try {
      const result = await call();
      if (!result.success) setError(outcomeMessage(result));
      // Revoking our own session: forget it here too, rather than wait for a refused refresh.
      if (result.success && endsThisSession) return void (await client.signOut());
      await query.refetch();
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
          <table className="cards">
            <thead>
              <tr>
                <th>Device</th>
                <th>Network</th>
                <th>Signed in</th>
                <th>Last active</th>
                <th>
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {sessions.map((session) => (
                <tr key={session.id} data-testid="session-row">
                  <td data-label="Device">
                    {session.userAgent ?? 'Unknown device'}{' '}
                    {session.current && <span className="badge">this device</span>}
                  </td>
                  <td data-label="Network">{session.ip ?? '—'}</td>
                  <td data-label="Signed in">{new Date(session.created).toLocaleString()}</td>
                  <td data-label="Last active">{new Date(session.lastUsed).toLocaleString()}</td>
                  <td>
                    <button
                      type="button"
                      disabled={busy !== null}
                      onClick={() =>
                        act(
                          session.id,
                          async () => (await revokeSession({ id: session.id })).revokeSession,
                          session.current,
                        )
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
            onClick={() => act('others', async () => (await revokeOthers({})).revokeOtherSessions)}
          >
            {busy === 'others' ? 'Signing out…' : 'Sign out all other sessions'}
          </button>
        </>
      )}
    </section>
  );
}
