/**
 * `pnpm bench:tracing`: what tracing costs on `{ me { id } }` (authenticated, session check on,
 * Redis store). Two servers side by side: tracing off (no OTEL_EXPORTER_OTLP_ENDPOINT: no tracer,
 * no wrapper) and on (every span exported by OTLP/HTTP to a collector stub on loopback that accepts
 * and discards). Rounds alternate between them so drift on this shared machine hits both alike;
 * the figures are medians over the rounds, and CPU time per request (client and server share this
 * process) is the steadier one. A script that prints figures, not a timed test.
 */
import { randomBytes } from 'node:crypto';
import { User } from '../src/modules/users/user.entity.js';
import { startBenchServer } from './bench-kit.js';
import { startOtlpSink } from './otlp-sink.js';

const DURATION_MS = Number(process.env.BENCH_MS ?? 3000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 16);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const QUERY = JSON.stringify({ query: '{ me { id } }' });

// The OTLP sink: accepts, discards and counts exports, so "on" provably exported something.
const sink = await startOtlpSink();
const endpoint = sink.endpoint;

async function start(tracing: boolean) {
  const server = await startBenchServer('redis', tracing ? { OTEL_EXPORTER_OTLP_ENDPOINT: endpoint } : {});
  const em = server.services.db.orm.em.fork();
  const user = Object.assign(new User(), {
    username: `bench${randomBytes(4).toString('hex')}`,
    email: `bench${randomBytes(4).toString('hex')}@example.com`,
    dateJoined: new Date(),
  });
  await em.persistAndFlush(user);
  const refresh = await server.services.refreshTokens.issue(user.id, { userAgent: 'bench', ip: '127.0.0.1' });
  const { token } = await server.services.accessTokens.sign(user, { sid: refresh.familyId });
  const me = async () => {
    const response = await fetch(server.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `JWT ${token}` },
      body: QUERY,
    });
    const body = (await response.json()) as { data?: { me: { id: string } | null } };
    if (!body.data?.me) throw new Error('the access token was not accepted');
  };
  return { server, me };
}

interface Run {
  perSecond: number;
  cpuUsPerRequest: number;
}

async function measure(me: () => Promise<void>): Promise<Run> {
  let count = 0;
  const cpu = process.cpuUsage();
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (performance.now() - started < DURATION_MS) {
        await me();
        count++;
      }
    }),
  );
  const elapsed = performance.now() - started;
  const used = process.cpuUsage(cpu);
  return { perSecond: (count * 1000) / elapsed, cpuUsPerRequest: (used.user + used.system) / count };
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
};

const off = await start(false);
const on = await start(true);
if (off.server.services.tracer !== null || on.server.services.tracer === null) throw new Error('wrong setup');
try {
  await measure(off.me); // warm-up: JIT, pools, keep-alive sockets
  await measure(on.me);
  const results: Record<'off' | 'on', Run[]> = { off: [], on: [] };
  for (let round = 0; round < ROUNDS; round++) {
    results.off.push(await measure(off.me));
    results.on.push(await measure(on.me));
  }
  const rowOf = (name: string, runs: Run[]) => ({
    tracing: name,
    'me/s (median)': Math.round(median(runs.map((run) => run.perSecond))),
    'CPU µs/request (median)': Math.round(median(runs.map((run) => run.cpuUsPerRequest))),
  });
  console.log(
    `tracing benchmark: ${CONCURRENCY} concurrent clients, ${ROUNDS} alternating rounds of ${DURATION_MS} ms, Node ${process.version}`,
  );
  console.table([rowOf('off', results.off), rowOf('on (OTLP to loopback)', results.on)]);
  const ratio = median(results.on.map((run, i) => run.cpuUsPerRequest / results.off[i]!.cpuUsPerRequest));
  console.log(
    `CPU per request, on/off, median of per-round ratios: ${ratio.toFixed(3)}; OTLP exports received: ${sink.exports()}`,
  );
} finally {
  await off.server.close();
  await on.server.close();
  sink.close();
}
