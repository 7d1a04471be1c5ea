import { RegisterDocument, TokenAuthDocument } from '@gql-auth/sdk';
import { InMemorySpanExporter, type ReadableSpan, SimpleSpanProcessor } from '@opentelemetry/sdk-trace';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type SmtpCapture, startSmtpCapture } from '../support/smtp-capture.js';
import { createTestInstance, TEST_MODES, type TestInstance } from '../support/test-instance.js';

const PASSWORD = 'correct-Horse-42';

/** Spans as an indented tree of names, children in start order: what a trace viewer shows. */
function tree(spans: readonly ReadableSpan[]): string[] {
  const children = new Map<string | undefined, ReadableSpan[]>();
  const ids = new Set(spans.map((span) => span.spanContext().spanId));
  for (const span of spans) {
    const parent = span.parentSpanContext?.spanId;
    const key = parent && ids.has(parent) ? parent : undefined;
    children.set(key, [...(children.get(key) ?? []), span]);
  }
  const lines: string[] = [];
  const walk = (parent: string | undefined, depth: number) => {
    const sorted = [...(children.get(parent) ?? [])].sort(
      (a, b) => a.startTime[0] - b.startTime[0] || a.startTime[1] - b.startTime[1],
    );
    for (const span of sorted) {
      lines.push(`${'  '.repeat(depth)}${span.name}`);
      walk(span.spanContext().spanId, depth + 1);
    }
  };
  walk(undefined, 0);
  return lines;
}

/** The server span ends on the response's `finish`, which may come just after the client has read it. */
async function finishedTrace(exporter: InMemorySpanExporter): Promise<ReadableSpan[]> {
  for (let i = 0; i < 100; i++) {
    const spans = exporter.getFinishedSpans();
    if (spans.some((span) => span.name === 'POST /graphql')) return spans;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error('the request span never ended');
}

describe.each(TEST_MODES)('traces (%s)', (mode) => {
  let api: TestInstance;
  let smtp: SmtpCapture;
  const exporter = new InMemorySpanExporter();
  const username = `tracer${Date.now().toString(36)}`;

  beforeAll(async () => {
    smtp = await startSmtpCapture();
    api = await createTestInstance(
      mode,
      { SMTP_URL: smtp.url },
      { spanProcessor: new SimpleSpanProcessor({ exporter }) },
    );
  });
  afterAll(async () => {
    await api?.close();
    await smtp?.close();
  });
  beforeEach(() => exporter.reset());
  // The per-client request ceiling (rate limits) counts in Redis, before any GraphQL work
  // (rate-limiter-flexible sends its script with EVAL on node-redis).
  const ceiling = mode === 'postgres+redis' ? ['  redis eval'] : [];

  it('register: the activation mail is an SMTP span under its resolver', async () => {
    const { data } = await api.gql(RegisterDocument, {
      email: `${username}@example.com`,
      username,
      password1: PASSWORD,
      password2: PASSWORD,
    });
    expect(data?.register.success).toBe(true);
    const lines = tree(await finishedTrace(exporter));
    if (process.env.PRINT_TRACE) console.log(lines.join('\n'));
    const resolver = lines.indexOf('    graphql.resolve register');
    expect(lines.slice(0, 2 + ceiling.length)).toEqual([
      'POST /graphql',
      ...ceiling,
      '  graphql.mutation register',
    ]);
    expect(resolver).toBe(2 + ceiling.length);
    expect(lines.slice(resolver + 1)).toContain('      smtp.send');
    expect(lines.slice(resolver + 1)).toContain('      bcrypt.hash');
    expect(lines.slice(resolver + 1)).toContain('      INSERT');
  });

  it('tokenAuth: HTTP > operation > resolver > SQL, bcrypt and token-store spans, nothing secret', async () => {
    const { data } = await api.gql(TokenAuthDocument, { username, password: PASSWORD });
    expect(data?.tokenAuth.success).toBe(true);
    const spans = await finishedTrace(exporter);
    const lines = tree(spans);
    if (process.env.PRINT_TRACE) console.log(lines.join('\n'));
    expect(lines.slice(0, 3 + ceiling.length)).toEqual([
      'POST /graphql',
      ...ceiling,
      '  graphql.mutation tokenAuth',
      '    graphql.resolve tokenAuth',
    ]);
    const underResolver = lines.slice(3 + ceiling.length);
    // Every other span hangs under the resolver: nothing of the request escaped the trace.
    expect(underResolver.every((line) => line.startsWith('      '))).toBe(true);
    expect(underResolver).toContain('      SELECT');
    expect(underResolver).toContain('      INSERT'); // the audit row of the sign-in
    expect(underResolver).toContain('      bcrypt.verify');
    if (mode === 'postgres+redis')
      expect(underResolver.some((line) => /^ {6}redis \w+$/.test(line))).toBe(true);

    const server = spans.find((span) => span.name === 'POST /graphql')!;
    expect(server.attributes).toMatchObject({
      'http.request.method': 'POST',
      'http.route': '/graphql',
      'http.response.status_code': 200,
    });
    const operation = spans.find((span) => span.name === 'graphql.mutation tokenAuth')!;
    expect(operation.attributes).toMatchObject({
      'graphql.operation.name': 'tokenAuth',
      'graphql.outcome': 'ok',
    });
    const recorded = JSON.stringify(spans.map((span) => [span.name, span.attributes, span.events]));
    for (const secret of [
      PASSWORD,
      username,
      `${username}@example.com`,
      data!.tokenAuth.token!,
      data!.tokenAuth.refreshToken!,
    ])
      expect(recorded).not.toContain(secret);
  });

  it('a failed sign-in is still one tree; its outcome says failure', async () => {
    await api.gql(TokenAuthDocument, { username, password: 'wrong-Password-1' });
    const operation = (await finishedTrace(exporter)).find(
      (span) => span.name === 'graphql.mutation tokenAuth',
    );
    expect(operation?.attributes['graphql.outcome']).toBe('failure');
  });
});

describe('tracing off (no OTEL_EXPORTER_OTLP_ENDPOINT)', () => {
  it('has no tracer: no span is created and no wrapper installed', async () => {
    const api = await createTestInstance('postgres+redis');
    try {
      expect(api.services.tracer).toBeNull();
    } finally {
      await api.close();
    }
  });
});
