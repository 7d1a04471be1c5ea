import type { UserFieldsFragment } from '@gql-auth/sdk';
import { createContext, type ReactNode, useCallback, useContext, useEffect, useState } from 'react';
import { client } from './client.js';

interface SessionState {
  /** Undefined while we find out; null when signed out. */
  user: UserFieldsFragment | null | undefined;
  /** Set when the server ended the session because its refresh token was reused or revoked. */
  notice: string | null;
  reload(): Promise<void>;
}

const SessionContext = createContext<SessionState | null>(null);

/** Keeps the signed-in user in step with the SDK's session events (this tab and the others). */
export function SessionProvider({ children }: { children: ReactNode }) {
  const [user, setUser] = useState<UserFieldsFragment | null | undefined>(undefined);
  const [notice, setNotice] = useState<string | null>(null);
  const reload = useCallback(async () => {
    const session = await client.getSession();
    if (!session) return setUser(null);
    try {
      setUser(await client.me());
    } catch {
      // Offline: keep showing what we had rather than signing the user out.
      setUser((previous) => previous ?? null);
    }
  }, []);
  useEffect(() => {
    void reload();
    const stops = [
      client.on('signedIn', () => {
        setNotice(null);
        void reload();
      }),
      client.on('signedOut', () => setUser(null)),
      client.on('reuseDetected', () =>
        setNotice(
          'Your session was ended: signed out from another device, or its sign-in was used elsewhere. Please sign in again.',
        ),
      ),
    ];
    return () => {
      for (const stop of stops) stop();
    };
  }, [reload]);
  return <SessionContext.Provider value={{ user, notice, reload }}>{children}</SessionContext.Provider>;
}

export function useSession(): SessionState {
  const state = useContext(SessionContext);
  if (!state) throw new Error('useSession outside SessionProvider');
  return state;
}
