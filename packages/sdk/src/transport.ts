import { type DocumentNode, getOperationAST, print } from 'graphql';
import { type GraphQLErrorItem, NetworkError } from './errors.js';
import type { StoredSession } from './token-storage.js';

export interface TransportOptions {
  url: string;
  mode: 'bearer' | 'cookie';
  fetch?: typeof fetch;
  headers?: Record<string, string>;
  authScheme?: 'JWT' | 'Bearer';
  csrfHeaderName?: string;
  csrfCookieName?: string;
  csrfToken?: () => string | null;
}

export interface RawResponse {
  status: number;
  data: Record<string, unknown> | null;
  errors: GraphQLErrorItem[];
}

export type Send = (
  document: DocumentNode,
  variables: unknown,
  credentials: StoredSession | null,
  options: { signal?: AbortSignal },
) => Promise<RawResponse>;

/** The server's `x-token-delivery` request header (apps/api request-credentials). */
export const TOKEN_DELIVERY_HEADER = 'x-token-delivery';

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null;

/**
 * One GraphQL-over-HTTP POST with the session's credentials: the Authorization header (and
 * `x-token-delivery: body`) in bearer mode, cookies plus the CSRF header in cookie mode. Answers whatever GraphQL said (data and errors);
 * throws NetworkError only when there is no GraphQL answer at all.
 */
export function createTransport(options: TransportOptions): Send {
  const fetchImpl: typeof fetch = options.fetch ?? ((...args) => globalThis.fetch(...args));
  const csrfHeaderName = options.csrfHeaderName ?? 'x-csrf-token';
  const csrfToken = options.csrfToken ?? (() => readCookie(options.csrfCookieName ?? 'csrftoken'));

  const send = async (
    document: DocumentNode,
    variables: unknown,
    credentials: StoredSession | null,
    requestOptions: { signal?: AbortSignal },
    csrfRetry = true,
  ): Promise<RawResponse> => {
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      accept: 'application/graphql-response+json, application/json',
      ...options.headers,
    };
    if (options.mode === 'bearer') {
      // A cookie-mode server hands the pair to a client that asks for it in the body (and carries no
      // token cookie); without this a bearer client's sign-in would get null tokens and cookies instead.
      headers[TOKEN_DELIVERY_HEADER] = 'body';
      if (credentials?.token) headers.authorization = `${options.authScheme ?? 'JWT'} ${credentials.token}`;
    }
    if (options.mode === 'cookie') {
      const csrf = csrfToken();
      if (csrf) headers[csrfHeaderName] = csrf;
    }
    const body = JSON.stringify({
      query: printed(document),
      variables: variables ?? {},
      operationName: getOperationAST(document)?.name?.value,
    });
    let response: Response;
    try {
      response = await fetchImpl(options.url, {
        method: 'POST',
        headers,
        body,
        ...(options.mode === 'cookie' ? { credentials: 'include' as const } : {}),
        ...(requestOptions.signal ? { signal: requestOptions.signal } : {}),
      });
    } catch (error) {
      if (requestOptions.signal?.aborted) throw error;
      throw new NetworkError(`Could not reach ${options.url}`, null, { cause: error });
    }
    let json: unknown;
    try {
      json = JSON.parse(await response.text());
    } catch {
      json = null;
    }
    if (!isObject(json) || !('data' in json || 'errors' in json)) {
      throw new NetworkError(`Expected a GraphQL response, got HTTP ${response.status}`, response.status);
    }
    const errors = Array.isArray(json.errors) ? (json.errors as GraphQLErrorItem[]) : [];
    // The first cookie-mode request of a browser gets its CSRF cookie with the refusal: retry once.
    if (csrfRetry && options.mode === 'cookie' && errors[0]?.extensions?.code === 'CSRF_FAILED') {
      return send(document, variables, credentials, requestOptions, false);
    }
    return { status: response.status, data: isObject(json.data) ? json.data : null, errors };
  };
  return (document, variables, credentials, requestOptions) =>
    send(document, variables, credentials, requestOptions);
}

const printedDocuments = new WeakMap<object, string>();
function printed(document: DocumentNode): string {
  let text = printedDocuments.get(document);
  if (text === undefined) {
    text = print(document);
    printedDocuments.set(document, text);
  }
  return text;
}

function readCookie(name: string): string | null {
  const cookie = (globalThis as { document?: { cookie?: string } }).document?.cookie;
  if (!cookie) return null;
  for (const pair of cookie.split(';')) {
    const [key, ...rest] = pair.trim().split('=');
    if (key === name) return decodeURIComponent(rest.join('='));
  }
  return null;
}
