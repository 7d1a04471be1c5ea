import type { IncomingMessage, ServerResponse } from 'node:http';
import { Writable } from 'node:stream';
import { RegisterDocument, TokenAuthDocument } from '@gql-auth/sdk';
import helmet from 'helmet';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestInstance, type TestInstance } from './support/test-instance.js';

/** A logger writing JSON lines into memory, so tests can read what the server logs. */
function capturingLogger() {
  const lines: Array<Record<string, unknown>> = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      for (const line of String(chunk).split('\n').filter(Boolean)) lines.push(JSON.parse(line));
      done();
    },
  });
  return { logger: pino({ level: 'info' }, stream), lines };
}

describe('HTTP surface: GraphiQL, request ids, logs, health', () => {
  let api: TestInstance;
  const captured = capturingLogger();

  beforeAll(async () => {
    api = await createTestInstance('embedded', { GRAPHIQL: 'true' }, { logger: captured.logger });
  });
  afterAll(async () => {
    await api?.close();
  });

  it("answers with helmet's default security headers, the same as helmet itself sets", async () => {
    // What helmet() sets on a response of its own, to compare with the recorded copy the app uses.
    const expected = new Map<string, string>();
    helmet()(
      {} as IncomingMessage,
      {
        setHeader: (name: string, value: string) => expected.set(name.toLowerCase(), String(value)),
        removeHeader() {},
      } as unknown as ServerResponse,
      () => undefined,
    );
    expect(expected.size).toBeGreaterThan(5);
    const answer = await fetch(`${api.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ __typename }' }),
    });
    for (const [name, value] of expected) expect(answer.headers.get(name), name).toBe(value);
    expect(answer.headers.get('x-content-type-options')).toBe('nosniff');
    expect(answer.headers.get('x-powered-by')).toBeNull();
  });

  it('serves GraphiQL to browsers from local assets only', async () => {
    const page = await fetch(`${api.url}/graphql`, { headers: { accept: 'text/html' } });
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('<div id="graphiql">');
    // The built page (packages/graphiql-page): its script and style, both from this origin.
    const sources = [...html.matchAll(/(?:src|href)="([^"]+)"/g)]
      .map((match) => match[1]!)
      .filter((source) => !source.startsWith('data:')); // the empty favicon, inline
    expect(sources.filter((source) => source.endsWith('.js')).length).toBeGreaterThanOrEqual(1);
    expect(sources.filter((source) => source.endsWith('.css')).length).toBeGreaterThanOrEqual(1);
    for (const source of sources) {
      expect(source).toMatch(/^\/graphiql\/assets\/[\w.-]+$/);
      const asset = await fetch(`${api.url}${source}`);
      expect(asset.status).toBe(200);
      expect(asset.headers.get('cache-control')).toContain('immutable');
      expect((await asset.arrayBuffer()).byteLength).toBeGreaterThan(1000);
    }
    // The page's policy names no other origin: a CDN could not load even if the page asked for one.
    const policy = page.headers.get('content-security-policy')!;
    expect(policy).toContain("script-src 'self'");
    expect(policy).not.toMatch(/https?:|\*/);
    expect((await fetch(`${api.url}/graphiql/assets/missing.js`)).status).toBe(404);
    // A GET query is still GraphQL, not the page.
    const query = await fetch(`${api.url}/graphql?query=${encodeURIComponent('{ me { id } }')}`, {
      headers: { accept: 'application/json' },
    });
    expect(await query.json()).toEqual({ data: { me: null } });
  });

  it('generates every request id itself, keeps a valid client id apart, and logs one line per request without secrets', async () => {
    const response = await fetch(`${api.url}/healthz`, { headers: { 'x-request-id': 'trace-1234567' } });
    const serverId = response.headers.get('x-request-id');
    expect(serverId).toMatch(/^[0-9a-f-]{36}$/);
    const generated = await fetch(`${api.url}/healthz`, { headers: { 'x-request-id': 'bad id!' } });
    expect(generated.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    expect(generated.headers.get('x-request-id')).not.toBe(serverId);

    const password = 'Very-Secret-Pass-9';
    await api.gql(RegisterDocument, {
      email: 'log@example.com',
      username: 'logger',
      password1: password,
      password2: password,
    });
    const login = await api.gql(TokenAuthDocument, { username: 'logger', password });
    await api.gql(
      TokenAuthDocument,
      { username: 'logger', password },
      { token: login.data!.tokenAuth.token! },
    );

    const requestLine = captured.lines.find((line) => line.requestId === serverId);
    expect(requestLine).toMatchObject({
      msg: 'request',
      method: 'GET',
      path: '/healthz',
      status: 200,
      clientRequestId: 'trace-1234567',
    });
    expect(captured.lines.some((line) => line.requestId === 'trace-1234567')).toBe(false);
    expect(JSON.stringify(captured.lines)).not.toContain('bad id!');
    const everything = JSON.stringify(captured.lines);
    expect(everything).not.toContain(password);
    expect(everything).not.toContain(login.data!.tokenAuth.token!);
    expect(everything).not.toContain(login.data!.tokenAuth.refreshToken!);
  });

  it('answers unknown routes with a JSON 404', async () => {
    const response = await fetch(`${api.url}/nope`);
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({ errors: [{ message: 'Not found.' }] });
  });

  it('reports not ready when the database is gone, while staying alive', async () => {
    await api.services.db.orm.close(true);
    const ready = await fetch(`${api.url}/readyz`);
    expect(ready.status).toBe(503);
    expect(await ready.json()).toMatchObject({ status: 'unavailable', checks: { database: 'failing' } });
    expect((await fetch(`${api.url}/healthz`)).status).toBe(200);
  });

  it('masks unexpected resolver errors and logs them with the request id', async () => {
    // The database was closed by the previous test: sign-in now fails for a reason clients must not see.
    const result = await api.gql(TokenAuthDocument, { username: 'logger', password: 'whatever-Pass-1' });
    expect(result.data).toBeNull();
    expect(result.errors).toEqual([
      expect.objectContaining({
        message: 'Unexpected error.',
        extensions: { code: 'INTERNAL_SERVER_ERROR', requestId: expect.any(String) },
      }),
    ]);
    const requestId = (result.errors![0]!.extensions as { requestId: string }).requestId;
    const logged = captured.lines.find(
      (line) => line.msg === 'unexpected error in resolver' && line.requestId === requestId,
    );
    expect(logged).toBeDefined();
  });
});
