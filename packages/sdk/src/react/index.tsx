// React bindings of the SDK (`@gql-auth/sdk/react`): a provider for one client, the session as state,
// and hooks for queries and mutations over the typed documents. React is a peer dependency; nothing
// here runs without it, and the core entry (`@gql-auth/sdk`) never imports this file.
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import {
  createContext,
  type ReactNode,
  useCallback,
  useContext,
  useEffect,
  useMemo,
  useRef,
  useState,
} from 'react';
import type { UserFieldsFragment } from '../__generated__/graphql.generated.js';
import type { AuthClient } from '../client.js';

interface SessionState {
  /** Undefined while it is being found out; null when signed out. */
  user: UserFieldsFragment | null | undefined;
  /** Set when the server ended the session because its refresh token was reused or revoked. */
  notice: string | null;
  /** Reads the session and the user again (after an account change, say). */
  reload(): Promise<void>;
}

interface AuthContextValue {
  client: AuthClient;
  session: SessionState;
}

const AuthContext = createContext<AuthContextValue | null>(null);

const REUSE_NOTICE =
  'Your session was ended: signed out from another device, or its sign-in was used elsewhere. Please sign in again.';

/** Keeps the signed-in user in step with the client's session events (this tab and the others). */
export function AuthProvider({ client, children }: { client: AuthClient; children: ReactNode }) {
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
  }, [client]);
  useEffect(() => {
    void reload();
    const stops = [
      client.on('signedIn', () => {
        setNotice(null);
        void reload();
      }),
      client.on('signedOut', () => setUser(null)),
      client.on('reuseDetected', () => setNotice(REUSE_NOTICE)),
    ];
    return () => {
      for (const stop of stops) stop();
    };
  }, [client, reload]);
  const value = useMemo(
    () => ({ client, session: { user, notice, reload } }),
    [client, user, notice, reload],
  );
  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}

function useAuthContext(): AuthContextValue {
  const value = useContext(AuthContext);
  if (!value) throw new Error('@gql-auth/sdk/react: wrap the app in <AuthProvider client={...}>');
  return value;
}

/** The client given to `AuthProvider`. */
export function useAuthClient(): AuthClient {
  return useAuthContext().client;
}

/** The signed-in user (undefined while loading, null when signed out), a notice, and `reload`. */
export function useSession(): SessionState {
  return useAuthContext().session;
}

export interface QueryState<R> {
  data: R | undefined;
  error: unknown;
  loading: boolean;
  /** Runs the query again with the same variables. */
  refetch(): Promise<void>;
}

/**
 * Runs a typed query when the component mounts and whenever its variables change (compared by value)
 * or the session changes; answers that arrive after a newer request are dropped. `skip` waits.
 */
export function useQuery<R, V>(
  document: TypedDocumentNode<R, V>,
  variables?: V,
  options: { skip?: boolean } = {},
): QueryState<R> {
  const { client, session } = useAuthContext();
  const [state, setState] = useState<{ data: R | undefined; error: unknown; loading: boolean }>({
    data: undefined,
    error: undefined,
    loading: !options.skip,
  });
  const key = JSON.stringify(variables ?? {});
  const latest = useRef(0);
  const run = useCallback(async () => {
    const id = ++latest.current;
    setState((previous) => ({ ...previous, loading: true }));
    try {
      const data = await client.request(document, JSON.parse(key) as V);
      if (id === latest.current) setState({ data, error: undefined, loading: false });
    } catch (error) {
      if (id === latest.current) setState((previous) => ({ data: previous.data, error, loading: false }));
    }
  }, [client, document, key]);
  const viewer = session.user?.id;
  // biome-ignore lint/correctness/useExhaustiveDependencies: `viewer` re-runs the query when the signed-in user changes.
  useEffect(() => {
    if (!options.skip) void run();
  }, [run, options.skip, viewer]);
  return { ...state, refetch: run };
}

export interface MutationState<R> {
  data: R | undefined;
  error: unknown;
  loading: boolean;
}

/** A typed mutation to call from an event handler: `[mutate, state]`; `mutate` resolves with the data. */
export function useMutation<R, V>(
  document: TypedDocumentNode<R, V>,
): [(variables: V) => Promise<R>, MutationState<R>] {
  const client = useAuthClient();
  const [state, setState] = useState<MutationState<R>>({
    data: undefined,
    error: undefined,
    loading: false,
  });
  const mutate = useCallback(
    async (variables: V) => {
      setState((previous) => ({ ...previous, loading: true, error: undefined }));
      try {
        const data = await client.request(document, variables);
        setState({ data, error: undefined, loading: false });
        return data;
      } catch (error) {
        setState({ data: undefined, error, loading: false });
        throw error;
      }
    },
    [client, document],
  );
  return [mutate, state];
}
