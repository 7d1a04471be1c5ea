import {
  ActivateUserDocument,
  ArchiveUserDocument,
  DeactivateUserDocument,
  RevokeUserTokensDocument,
  UnarchiveUserDocument,
  type UserFieldsFragment,
  UserSessionsDocument,
  VerifyUserDocument,
} from '@gql-auth/sdk';
import { useMutation, useQuery } from '@gql-auth/sdk/react';
import { useState } from 'react';
import { useForm, useWatch } from 'react-hook-form';
import { type Outcome, outcomeMessage } from '../forms.js';
import { describeFailure } from '../messages.js';
import { Alert, Loading } from '../ui.js';

type AdminOutcome = Outcome & { user?: UserFieldsFragment | null };

/** react-hook-form answers a checkbox group with a list, a group of one with its value. */
function listOf(value: unknown): string[] {
  if (Array.isArray(value)) return value.filter((item): item is string => typeof item === 'string');
  return typeof value === 'string' ? [value] : [];
}

/** One user: account switches and their refresh tokens, each selectable for revoking. */
export function UserPanel({
  user,
  onChange,
}: {
  user: UserFieldsFragment;
  onChange(user: UserFieldsFragment): void;
}) {
  const tokens = useQuery(UserSessionsDocument, { user: user.id });
  const [archive, archiving] = useMutation(ArchiveUserDocument);
  const [unarchive, unarchiving] = useMutation(UnarchiveUserDocument);
  const [activate, activating] = useMutation(ActivateUserDocument);
  const [deactivate, deactivating] = useMutation(DeactivateUserDocument);
  const [verify, verifying] = useMutation(VerifyUserDocument);
  const [revokeTokens, revoking] = useMutation(RevokeUserTokensDocument);
  const busy = [archiving, unarchiving, activating, deactivating, verifying, revoking].some(
    (state) => state.loading,
  );
  const [message, setMessage] = useState<{ kind: 'error' | 'success'; text: string } | null>(null);
  const selection = useForm<{ tokens: string[] }>({ defaultValues: { tokens: [] } });
  const chosen = listOf(useWatch({ control: selection.control, name: 'tokens' }));

  async function run(label: string, call: () => Promise<AdminOutcome>) {
    try {
      const result = await call();
      setMessage(
        result.success
          ? { kind: 'success', text: `${label}: done.` }
          : { kind: 'error', text: `${label}: ${outcomeMessage(result)}` },
      );
      if (result.user) onChange(result.user);
      await tokens.refetch();
    } catch (caught) {
      setMessage({ kind: 'error', text: describeFailure(caught) });
    }
  }

  const revokeSelected = selection.handleSubmit(({ tokens: picked }) =>
    run('Revoke tokens', async () => {
      const { revokeUserTokens } = await revokeTokens({ user: user.id, tokens: listOf(picked) });
      if (revokeUserTokens.success) selection.reset({ tokens: [] });
      return revokeUserTokens;
    }),
  );
  const variables = { user: user.id };
  const list = tokens.data?.userSessions;

  return (
    <section className="panel" aria-label={`manage ${user.username}`}>
      <h2>{user.username}</h2>
      {message && <Alert kind={message.kind}>{message.text}</Alert>}
      {tokens.error ? <Alert kind="error">{describeFailure(tokens.error)}</Alert> : null}
      <div className="buttons">
        {user.archived ? (
          <button
            type="button"
            disabled={busy}
            onClick={() => run('Unarchive', async () => (await unarchive(variables)).unarchiveUser)}
          >
            Unarchive
          </button>
        ) : (
          <button
            type="button"
            disabled={busy}
            onClick={() => run('Archive', async () => (await archive(variables)).archiveUser)}
          >
            Archive
          </button>
        )}
        {user.isActive ? (
          <button
            type="button"
            disabled={busy}
            onClick={() => run('Deactivate', async () => (await deactivate(variables)).deactivateUser)}
          >
            Deactivate
          </button>
        ) : (
          <button
            type="button"
            disabled={busy}
            onClick={() => run('Activate', async () => (await activate(variables)).activateUser)}
          >
            Activate
          </button>
        )}
        {!user.verified && (
          <button
            type="button"
            disabled={busy}
            onClick={() => run('Verify', async () => (await verify(variables)).verifyUser)}
          >
            Mark verified
          </button>
        )}
      </div>
      <h3>Refresh tokens</h3>
      <form aria-label={`tokens of ${user.username}`} className="plain" onSubmit={revokeSelected}>
        {!list ? (
          !tokens.error && <Loading what="tokens" />
        ) : list.length === 0 ? (
          <p>No tokens.</p>
        ) : (
          <table className="cards">
            <thead>
              <tr>
                <th>
                  <span className="visually-hidden">Select</span>
                </th>
                <th>Created</th>
                <th>Last used</th>
                <th>Expires</th>
                <th>State</th>
                <th>Device</th>
              </tr>
            </thead>
            <tbody>
              {list.map((token) => (
                <tr key={token.id} data-testid="admin-token-row">
                  <td>
                    <input
                      type="checkbox"
                      aria-label={`select token ${token.id.slice(0, 8)}`}
                      value={token.id}
                      disabled={!token.active}
                      {...selection.register('tokens')}
                    />
                  </td>
                  <td data-label="Created">{new Date(token.createdAt).toLocaleString()}</td>
                  <td data-label="Last used">
                    {token.lastUsedAt ? new Date(token.lastUsedAt).toLocaleString() : '—'}
                  </td>
                  <td data-label="Expires">{new Date(token.expiresAt).toLocaleString()}</td>
                  <td data-label="State">
                    {token.active
                      ? 'active'
                      : token.revokedAt
                        ? 'revoked'
                        : token.rotatedAt
                          ? 'rotated'
                          : 'expired'}
                  </td>
                  <td data-label="Device">{token.userAgent ?? '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        <button type="submit" disabled={busy || chosen.length === 0}>
          Revoke selected ({chosen.length})
        </button>
      </form>
    </section>
  );
}
