import {
  MeDocument,
  RefreshTokenDocument,
  RegisterDocument,
  SendPasswordResetEmailDocument,
  TokenAuthDocument,
} from '@gql-auth/sdk';
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { print } from 'graphql';

/** How an operation was answered, as a client sees it. */
export type Outcome = 'ok' | 'refused' | 'unavailable' | 'email_fail' | 'error' | 'no_answer';

export interface OperationRecord {
  op: string;
  startedAt: number;
  ms: number;
  outcome: Outcome;
  /** For `error`: what went wrong (an HTTP status and code, or the client-side exception). */
  detail?: string;
}

export const PASSWORD = 'drill-Pass-2026';

/** One GraphQL call with a client-side deadline (a hang shows up as `no_answer` past the bound). */
async function call<TData, TVariables>(
  url: string,
  document: TypedDocumentNode<TData, TVariables>,
  variables: TVariables,
  deadlineMs: number,
  token?: string,
): Promise<{ status: number; data?: TData; code?: string }> {
  const response = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/graphql-response+json',
      ...(token ? { authorization: `JWT ${token}` } : {}),
    },
    body: JSON.stringify({ query: print(document), variables }),
    signal: AbortSignal.timeout(deadlineMs),
  });
  const body = (await response.json()) as {
    data?: TData;
    errors?: Array<{ extensions?: { code?: string } }>;
  };
  return { status: response.status, data: body.data ?? undefined, code: body.errors?.[0]?.extensions?.code };
}

function payloadCode(payload: unknown): string | undefined {
  const errors = (payload as { errors?: Record<string, Array<{ code: string }>> | null })?.errors;
  return errors ? Object.values(errors)[0]?.[0]?.code : undefined;
}

/**
 * A simulated client: one user with one session, doing a mix of what clients do. It remembers what
 * the answers told it, so the drill can check afterwards that the server agrees: a session the
 * client holds must still work, an account it was told exists must exist, one it was told was not
 * created must not.
 */
export class DrillClient {
  refreshToken: string | null = null;
  accessToken: string | null = null;
  /** Set when an answer told the client its session ended although nobody ended it: a lost session. */
  lostSession = false;
  readonly registered = new Map<string, Outcome>();
  private registrations = 0;

  constructor(
    readonly url: string,
    readonly username: string,
    readonly deadlineMs: number,
    readonly record: (entry: OperationRecord) => void,
  ) {}

  get email() {
    return `${this.username}@drill.test`;
  }

  private lastDetail: string | undefined;

  private async timed(op: string, work: () => Promise<Outcome>): Promise<Outcome> {
    const startedAt = performance.now();
    let outcome: Outcome;
    this.lastDetail = undefined;
    try {
      outcome = await work();
    } catch (error) {
      outcome = (error as Error).name === 'TimeoutError' ? 'no_answer' : 'error';
      const cause = (error as { cause?: { code?: string; message?: string } }).cause;
      this.lastDetail = `client: ${(error as Error).message}${cause ? ` (${cause.code ?? cause.message})` : ''}`;
    }
    const detail = outcome === 'error' ? this.lastDetail : undefined;
    this.record({ op, startedAt, ms: performance.now() - startedAt, outcome, ...(detail ? { detail } : {}) });
    return outcome;
  }

  private classify(status: number, code: string | undefined, ok: boolean, failure?: string): Outcome {
    if (status === 503 || code === 'SERVICE_UNAVAILABLE') return 'unavailable';
    if (ok) return 'ok';
    if (failure === 'email_fail') return 'email_fail';
    if (failure) return 'refused';
    this.lastDetail = `HTTP ${status} ${code ?? ''}`.trim();
    return 'error';
  }

  signIn() {
    return this.timed('tokenAuth', async () => {
      const r = await call(
        this.url,
        TokenAuthDocument,
        { username: this.username, password: PASSWORD },
        this.deadlineMs,
      );
      const payload = r.data?.tokenAuth;
      if (payload?.success) {
        this.accessToken = payload.token!;
        this.refreshToken = payload.refreshToken!;
      }
      return this.classify(r.status, r.code, payload?.success === true, payloadCode(payload));
    });
  }

  me() {
    return this.timed('me', async () => {
      const r = await call(this.url, MeDocument, {}, this.deadlineMs, this.accessToken ?? undefined);
      return this.classify(
        r.status,
        r.code,
        r.data?.me?.username === this.username,
        r.data ? 'anonymous' : undefined,
      );
    });
  }

  refresh() {
    return this.timed('refreshToken', async () => {
      if (!this.refreshToken) return 'refused';
      const r = await call(
        this.url,
        RefreshTokenDocument,
        { refreshToken: this.refreshToken },
        this.deadlineMs,
      );
      const payload = r.data?.refreshToken;
      if (payload?.success) {
        this.refreshToken = payload.refreshToken!;
        this.accessToken = payload.token!;
      } else if (payloadCode(payload) === 'invalid_token' || payloadCode(payload) === 'expired_token') {
        // Nobody signed this client out: its session was lost.
        this.lostSession = true;
        this.refreshToken = null;
      }
      return this.classify(r.status, r.code, payload?.success === true, payloadCode(payload));
    });
  }

  /** Registers a new account (the client's own with `self`, else a fresh name). */
  register(self = false) {
    const username = self ? this.username : `${this.username}r${++this.registrations}`;
    return this.timed('register', async () => {
      const r = await call(
        this.url,
        RegisterDocument,
        { email: `${username}@drill.test`, username, password1: PASSWORD, password2: PASSWORD },
        this.deadlineMs,
      );
      const payload = r.data?.register;
      const outcome = this.classify(r.status, r.code, payload?.success === true, payloadCode(payload));
      this.registered.set(username, outcome);
      return outcome;
    }).catch((error) => {
      this.registered.set(username, 'error');
      throw error;
    });
  }

  resetEmail() {
    return this.timed('sendPasswordResetEmail', async () => {
      const r = await call(this.url, SendPasswordResetEmailDocument, { email: this.email }, this.deadlineMs);
      const payload = r.data?.sendPasswordResetEmail;
      return this.classify(r.status, r.code, payload?.success === true, payloadCode(payload));
    });
  }

  /** One step of the mix: mostly reads and refreshes, some sign-ins, registrations and resets. */
  async step(random: () => number): Promise<void> {
    const roll = random();
    if (!this.refreshToken && roll < 0.5) await this.signIn();
    else if (roll < 0.35) await this.me();
    else if (roll < 0.65) await this.refresh();
    else if (roll < 0.75) await this.signIn();
    else if (roll < 0.88) await this.register();
    else await this.resetEmail();
  }
}
