import type { AddressInfo } from 'node:net';
import { MeDocument, RefreshTokenDocument, RegisterDocument, TokenAuthDocument } from '@gql-auth/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMetricsApp } from '../../src/http/observability.js';
import { type SmtpCapture, startSmtpCapture } from '../support/smtp-capture.js';
import { createTestInstance, TEST_MODES, type TestInstance } from '../support/test-instance.js';
import { sample } from './scrape.js';

const PASSWORD = 'correct-Horse-42';
const METRICS_TOKEN = 'metrics-token-for-tests-0123456789';

describe.each(TEST_MODES)('/metrics after a scripted session (%s)', (mode) => {
  let api: TestInstance;
  let smtp: SmtpCapture;
  let metricsUrl: string;
  let closeMetrics: () => Promise<void>;

  beforeAll(async () => {
    smtp = await startSmtpCapture();
    api = await createTestInstance(mode, { SMTP_URL: smtp.url, METRICS_TOKEN });
    // The private listener main.ts starts on METRICS_PORT, here on an ephemeral port.
    const server = createMetricsApp(api.services.metrics).listen(0, '127.0.0.1');
    await new Promise<void>((resolve) => server.once('listening', resolve));
    metricsUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/metrics`;
    closeMetrics = () => new Promise((resolve) => server.close(() => resolve()));
  });
  afterAll(async () => {
    await closeMetrics?.();
    await api?.close();
    await smtp?.close();
  });

  it('counts each step: operations, sign-ins, refreshes, grace replays, reuse, mail, bcrypt', async () => {
    const username = `metrics${Date.now().toString(36)}`;
    const registered = await api.gql(RegisterDocument, {
      email: `${username}@example.com`,
      username,
      password1: PASSWORD,
      password2: PASSWORD,
    });
    expect(registered.data?.register.success).toBe(true);
    const session = (await api.gql(TokenAuthDocument, { username, password: PASSWORD })).data!.tokenAuth;
    expect(session.success).toBe(true);
    const wrong = await api.gql(TokenAuthDocument, { username, password: 'wrong-Password-1' });
    expect(wrong.data?.tokenAuth.success).toBe(false);
    const rotated = await api.gql(RefreshTokenDocument, { refreshToken: session.refreshToken! });
    expect(rotated.data?.refreshToken.success).toBe(true);
    api.clock.advance(5_000); // inside the grace window: a retry gets the same successor
    const retried = await api.gql(RefreshTokenDocument, { refreshToken: session.refreshToken! });
    expect(retried.data?.refreshToken.refreshToken).toBe(rotated.data?.refreshToken.refreshToken);
    // The successor serves a request: from now on the old token coming back is a theft sign.
    await api.gql(MeDocument, {}, { token: rotated.data!.refreshToken.token! });
    api.clock.advance(10_000); // past the grace window: the same token again is reuse
    const replayed = await api.gql(RefreshTokenDocument, { refreshToken: session.refreshToken! });
    expect(replayed.data?.refreshToken.success).toBe(false);
    // The reuse notice goes out after the answer: wait for it so the mail count is settled.
    for (let i = 0; i < 250 && smtp.mails.length < 2; i++) await new Promise((r) => setTimeout(r, 20));
    // Root-field labels ignore what the client calls its operation; no single field: anonymous.
    await api.post(JSON.stringify({ query: 'query chosenByTheClient { __typename }' }));
    await api.post(JSON.stringify({ query: 'query alsoChosen { a: __typename b: __typename }' }));
    // Name labels come from the document that ran: the request's operationName only picks one of
    // its operations, a document that does not validate counts nowhere, a header is never read.
    await api.post(
      JSON.stringify({
        query: 'query Picked { __typename } query NotRun { __typename }',
        operationName: 'Picked',
      }),
    );
    await api.post(JSON.stringify({ query: 'query Invalid { noSuchField }', operationName: 'Invalid' }));
    await api.post(JSON.stringify({ query: '{ __typename }' }), { 'x-apollo-operation-name': 'FromAHeader' });

    const text = await (await fetch(metricsUrl)).text();
    const op = (operation: string, type: string, outcome: string) =>
      sample(text, 'auth_graphql_operations_total', { operation, type, outcome });
    expect(op('register', 'mutation', 'ok')).toBe(1);
    expect(op('tokenAuth', 'mutation', 'ok')).toBe(1);
    expect(op('tokenAuth', 'mutation', 'failure')).toBe(1);
    expect(op('refreshToken', 'mutation', 'ok')).toBe(2);
    expect(op('refreshToken', 'mutation', 'failure')).toBe(1);
    expect(op('me', 'query', 'ok')).toBe(1);
    expect(op('anonymous', 'query', 'ok')).toBe(4);
    expect(text).not.toMatch(/operation="(chosenByTheClient|Picked)"/);

    // By operation name: the SDK's documents name theirs (`mutation TokenAuth`, `query Me`).
    const named = (name: string, type: string, outcome: string) =>
      sample(text, 'auth_graphql_operations_by_name_total', { name, type, outcome });
    expect(named('Register', 'mutation', 'ok')).toBe(1);
    expect(named('TokenAuth', 'mutation', 'ok')).toBe(1);
    expect(named('TokenAuth', 'mutation', 'failure')).toBe(1);
    expect(named('RefreshToken', 'mutation', 'ok')).toBe(2);
    expect(named('RefreshToken', 'mutation', 'failure')).toBe(1);
    expect(named('Me', 'query', 'ok')).toBe(1);
    expect(named('chosenByTheClient', 'query', 'ok')).toBe(1);
    expect(named('Picked', 'query', 'ok')).toBe(1);
    expect(named('anonymous', 'query', 'ok')).toBe(1);
    expect(
      sample(text, 'auth_graphql_operation_by_name_duration_seconds_count', {
        name: 'TokenAuth',
        type: 'mutation',
        outcome: 'failure',
      }),
    ).toBe(1);
    for (const never of ['NotRun', 'Invalid', 'FromAHeader', 'noSuchField'])
      expect(text).not.toContain(never);
    expect(
      sample(text, 'auth_graphql_operation_duration_seconds_count', {
        operation: 'tokenAuth',
        type: 'mutation',
        outcome: 'failure',
      }),
    ).toBe(1);

    expect(sample(text, 'auth_sign_ins_total', { outcome: 'ok' })).toBe(1);
    expect(sample(text, 'auth_sign_ins_total', { outcome: 'failed' })).toBe(1);
    expect(sample(text, 'auth_sign_ins_total', { outcome: 'rate_limited' })).toBe(0);
    expect(sample(text, 'auth_refreshes_total', { outcome: 'rotated' })).toBe(1);
    expect(sample(text, 'auth_refreshes_total', { outcome: 'grace_replay' })).toBe(1);
    expect(sample(text, 'auth_refreshes_total', { outcome: 'invalid' })).toBe(1);
    expect(sample(text, 'auth_refreshes_total', { outcome: 'expired' })).toBe(0);
    expect(sample(text, 'auth_refresh_reuse_detected_total')).toBe(1);
    expect(sample(text, 'auth_mail_total', { outcome: 'sent' })).toBe(smtp.mails.length);
    expect(smtp.mails.map((mail) => mail.subject)).toEqual([
      'Activate your Auth Starter account',
      'We signed a session of your Auth Starter account out',
    ]);
    expect(sample(text, 'auth_mail_total', { outcome: 'failed' })).toBe(0);
    expect(sample(text, 'auth_password_hash_seconds_count')).toBe(1);
    expect(sample(text, 'auth_password_verify_seconds_count')).toBe(2);
    // register, 2 tokenAuth, 3 refreshToken, me (the successor's use), 2 chosen-name queries,
    // Picked and the anonymous one; the invalid document is a 4xx.
    expect(
      sample(text, 'auth_http_requests_total', { method: 'POST', route: '/graphql', status: '2xx' }),
    ).toBe(11);

    expect(sample(text, 'auth_dependency_up', { dependency: 'database' })).toBe(1);
    expect(sample(text, 'auth_dependency_up', { dependency: 'token_store' })).toBe(1);
    expect(sample(text, 'auth_db_pool_connections', { state: 'used' })).toBeGreaterThanOrEqual(0);
    expect(sample(text, 'auth_process_cpu_user_seconds_total')).toBeGreaterThan(0);
    expect(sample(text, 'auth_nodejs_heap_size_used_bytes')).toBeGreaterThan(0);
    // Nothing personal in the exposition.
    expect(text).not.toContain(username);
  });

  it('on the public port only behind METRICS_TOKEN', async () => {
    expect((await fetch(`${api.url}/metrics`)).status).toBe(401);
    const wrong = await fetch(`${api.url}/metrics`, { headers: { authorization: 'Bearer nope' } });
    expect(wrong.status).toBe(401);
    const right = await fetch(`${api.url}/metrics`, {
      headers: { authorization: `Bearer ${METRICS_TOKEN}` },
    });
    expect(right.status).toBe(200);
    expect(right.headers.get('content-type')).toContain('text/plain');
    expect(await right.text()).toContain('auth_sign_ins_total');
  });
});

describe('operation names: bounded series', () => {
  let api: TestInstance;
  beforeAll(async () => {
    api = await createTestInstance('embedded', { METRICS_OPERATION_NAMES: '3', METRICS_TOKEN });
  });
  afterAll(async () => {
    await api?.close();
  });

  it('labels the first METRICS_OPERATION_NAMES names, then `other`; long names are `other`', async () => {
    const run = (name: string) => api.post(JSON.stringify({ query: `query ${name} { __typename }` }));
    for (const name of ['First', 'Second', 'Third', 'Fourth', 'Fifth', 'First', `L${'o'.repeat(64)}ng`])
      expect((await run(name)).status).toBe(200);
    const text = await (
      await fetch(`${api.url}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } })
    ).text();
    const named = (name: string) =>
      sample(text, 'auth_graphql_operations_by_name_total', { name, type: 'query', outcome: 'ok' });
    expect([named('First'), named('Second'), named('Third')]).toEqual([2, 1, 1]);
    expect(named('other')).toBe(3);
    expect(text).not.toMatch(/Fourth|Fifth|Looo/);
    const series = text
      .split('\n')
      .filter((line) => line.startsWith('auth_graphql_operations_by_name_total{'));
    expect(series).toHaveLength(4);
  });
});

describe('/metrics without METRICS_TOKEN', () => {
  let api: TestInstance;
  beforeAll(async () => {
    api = await createTestInstance('postgres+redis');
  });
  afterAll(async () => {
    await api?.close();
  });

  it('is not served on the public port', async () => {
    expect((await fetch(`${api.url}/metrics`)).status).toBe(404);
  });
});
