import type { DrillServer } from './drill-server.js';

/** What every drill prints: how many attacks it tried, how many the server survived, and lost. */
export interface DrillResult {
  name: string;
  tried: number;
  survived: number;
  lost: number;
  /** Figures worth quoting (timings, memory), one per line. */
  notes: string[];
  /** A few examples of what was lost, to start debugging from. */
  losses: string[];
}

export interface DrillOptions {
  short: boolean;
}

export type Drill = (server: DrillServer, options: DrillOptions) => Promise<DrillResult>;

export interface Answer {
  status: number;
  text: string;
  json: {
    data?: Record<string, unknown> | null;
    errors?: Array<{ message?: string; extensions?: Record<string, unknown> }>;
  } | null;
  ms: number;
  /** The Retry-After header, in seconds, when the answer has one. */
  retryAfter: number | null;
}

/** A reserved benchmarking range (198.18.0.0/15): written only into X-Forwarded-For, never dialled. */
export function forwardedFor(index: number): string {
  return `198.18.${(index >> 8) & 255}.${index & 255}`;
}

export async function post(
  server: DrillServer,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<Answer> {
  const started = performance.now();
  const response = await fetch(server.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await response.text();
  let json: Answer['json'] = null;
  try {
    json = JSON.parse(text);
  } catch {
    json = null;
  }
  const retryAfter = Number.parseInt(response.headers.get('retry-after') ?? '', 10);
  return {
    status: response.status,
    text,
    json,
    ms: performance.now() - started,
    retryAfter: Number.isNaN(retryAfter) ? null : retryAfter,
  };
}

/** Whether the server said it is at capacity for now (HTTP 503, SERVICE_BUSY, Retry-After). */
export const isBusy = (answer: Answer): boolean =>
  answer.status === 503 &&
  answer.retryAfter !== null &&
  (answer.json?.errors ?? []).some((error) => error.extensions?.code === 'SERVICE_BUSY');

/**
 * `post`, answering the server's "busy, retry after N s" as a client does: after that wait, a few
 * times at most. The drills that judge how bad input is handled use it, so a loaded machine's bounded
 * hash queue (its designed overload answer) is not counted as a lost request; a 503 that stays after
 * the retries still counts.
 */
export async function postRetryingBusy(
  server: DrillServer,
  body: unknown,
  headers: Record<string, string> = {},
  attempts = 5,
): Promise<Answer> {
  let answer = await post(server, body, headers);
  for (let attempt = 1; attempt < attempts && isBusy(answer); attempt++) {
    await new Promise((resolve) => setTimeout(resolve, Math.min(answer.retryAfter ?? 1, 5) * 1000));
    answer = await post(server, body, headers);
  }
  return answer;
}

/** Internal detail a response must never carry: stacks, SQL, driver and file names. */
const LEAK =
  /\bat [\w.<>]+ \(|node_modules|\.ts:\d+|\bselect\b.*\bfrom\b|\binsert into\b|\bpostgres|mikro-?orm|knex|node-redis|@redis\/|ECONNREFUSED|TypeError|ReferenceError|Maximum call stack/i;

/** Why an answer counts as lost, or null when the server handled it. */
export function lossOf(answer: Answer): string | null {
  if (answer.status >= 500) return `HTTP ${answer.status}`;
  if (answer.text.includes('INTERNAL_SERVER_ERROR')) return 'masked internal error';
  if (LEAK.test(answer.text)) return `leak: ${answer.text.slice(0, 160)}`;
  if (!answer.json) return `not JSON: ${answer.text.slice(0, 80)}`;
  return null;
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

export const round = (value: number) => Math.round(value * 10) / 10;

/** Signs up and signs in a user; optionally makes it a verified superuser straight in SQL. */
export async function signedInUser(
  server: DrillServer,
  username: string,
  options: { superuser?: boolean; from?: string } = {},
): Promise<string> {
  const password = 'Drill-Pass-4242';
  const headers = { 'x-forwarded-for': options.from ?? '198.19.0.1' };
  await post(
    server,
    {
      query: `mutation ($e: String!, $u: String!, $p: String!) { register(email: $e, username: $u, password1: $p, password2: $p) { success errors } }`,
      variables: { e: `${username}@example.com`, u: username, p: password },
    },
    headers,
  );
  await server.sql(
    `update "user" set verified = true, is_staff = $2, is_superuser = $2 where username = $1`,
    [username, options.superuser ?? false],
  );
  const answer = await post(
    server,
    {
      query: `mutation ($u: String!, $p: String!) { tokenAuth(username: $u, password: $p) { success errors token } }`,
      variables: { u: username, p: password },
    },
    headers,
  );
  const token = (answer.json?.data?.tokenAuth as { token?: string } | undefined)?.token;
  if (!token) throw new Error(`drill could not sign in ${username}: ${answer.text.slice(0, 300)}`);
  return token;
}
