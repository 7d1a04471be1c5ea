/**
 * `pnpm bench:compare-me`: `{ me { id } }` (authenticated, session check on, Redis store) on
 * several servers, each its own process, typically two checkouts of the code (a before and an
 * after) and tracing off versus on. Rounds alternate between the servers so the drift of this
 * shared machine hits them alike; the figures are medians over the rounds. CPU per request is the
 * server process's own CPU time (/proc/<pid>/stat, descendants included) over the requests it
 * answered, the steadier figure here: the load generator (autocannon, in this process) competes
 * with the servers for the same cores. A script that prints figures, not a timed test.
 *
 * BENCH_TARGETS (JSON array), each one of:
 *   { "label": "before", "dir": "/path/to/other/checkout/apps/api" }   spawns bench/serve-me.ts there
 *   { "label": "on", "dir": ".", "tracing": true }                      the same, OTLP to a local sink
 *   { "label": "x", "url": "http://…/graphql", "token": "…", "pid": 123 } an already running server
 * Default: this tree with tracing off and on. BENCH_SECONDS (per round, 4), BENCH_ROUNDS (7),
 * BENCH_CONNECTIONS (16). A spawned `dir` needs bench/serve-me.ts (copy it into older checkouts).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { startOtlpSink } from './otlp-sink.js';
import { cpuSeconds } from './proc-stats.js';

const API_DIR = fileURLToPath(new URL('../', import.meta.url));
const SECONDS = Number(process.env.BENCH_SECONDS ?? 4);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 7);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 16);
const QUERY = JSON.stringify({ query: '{ me { id } }' });

type TargetSpec =
  | { label: string; dir: string; tracing?: boolean }
  | { label: string; url: string; token: string; pid: number };
interface Target {
  label: string;
  url: string;
  token: string;
  pid: number;
  tracing: boolean | null;
  child?: ChildProcess;
}

const specs = JSON.parse(
  process.env.BENCH_TARGETS ??
    JSON.stringify([
      { label: 'tracing off', dir: '.' },
      { label: 'tracing on', dir: '.', tracing: true },
    ]),
) as TargetSpec[];

// The OTLP sink: accepts, discards and counts exports, so "on" provably exported something.
const sink = await startOtlpSink();
const endpoint = sink.endpoint;

async function spawnServer(spec: { label: string; dir: string; tracing?: boolean }): Promise<Target> {
  const dir = resolve(API_DIR, spec.dir);
  const env = spec.tracing ? { OTEL_EXPORTER_OTLP_ENDPOINT: endpoint } : {};
  // node with tsx's loader, not the tsx CLI: one process, whose CPU is the server's alone.
  const child = spawn(process.execPath, ['--import', 'tsx', 'bench/serve-me.ts'], {
    cwd: dir,
    env: { ...process.env, SERVE_ENV: JSON.stringify(env) },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const line = await new Promise<string>((done, fail) => {
    createInterface({ input: child.stdout! }).once('line', done);
    child.once('exit', (code) => fail(new Error(`${spec.label}: server exited (${code})`)));
  });
  const ready = JSON.parse(line) as { url: string; token: string; tracing: boolean };
  if (ready.tracing !== Boolean(spec.tracing)) throw new Error(`${spec.label}: tracing is ${ready.tracing}`);
  return {
    label: spec.label,
    url: ready.url,
    token: ready.token,
    pid: child.pid!,
    tracing: ready.tracing,
    child,
  };
}

interface Run {
  perSecond: number;
  cpuUsPerRequest: number;
}

async function measure(target: Target, seconds: number): Promise<Run> {
  const cpuBefore = cpuSeconds(target.pid);
  const result = await autocannon({
    url: target.url,
    method: 'POST',
    connections: CONNECTIONS,
    duration: seconds,
    headers: { 'content-type': 'application/json', authorization: `JWT ${target.token}` },
    body: QUERY,
  });
  const cpu = cpuSeconds(target.pid) - cpuBefore;
  if (result.non2xx > 0 || result.errors > 0) throw new Error(`${target.label}: failed requests`);
  return { perSecond: result.requests.average, cpuUsPerRequest: (cpu * 1e6) / result.requests.total };
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
};

const targets: Target[] = [];
try {
  for (const spec of specs) {
    targets.push('url' in spec ? { ...spec, tracing: null } : await spawnServer(spec));
  }
  // One answer checked by hand: a `me` that is null would measure the anonymous path.
  for (const target of targets) {
    const response = await fetch(target.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `JWT ${target.token}` },
      body: QUERY,
    });
    const body = (await response.json()) as { data?: { me: { id: string } | null } };
    if (!body.data?.me) throw new Error(`${target.label}: the access token was not accepted`);
  }
  for (const target of targets) await measure(target, 2); // warm-up: JIT, pools, sockets
  const runs = new Map<Target, Run[]>(targets.map((target) => [target, []]));
  for (let round = 0; round < ROUNDS; round++) {
    // Each round in another order, so no server is always the one after a given other.
    const order = round % 2 ? [...targets].reverse() : targets;
    for (const target of order) runs.get(target)!.push(await measure(target, SECONDS));
  }
  console.log(
    `me benchmark: ${CONNECTIONS} connections, ${ROUNDS} alternating rounds of ${SECONDS} s, Node ${process.version}`,
  );
  const first = runs.get(targets[0]!)!;
  console.table(
    targets.map((target) => {
      const own = runs.get(target)!;
      return {
        server: target.label,
        'me/s (median)': Math.round(median(own.map((run) => run.perSecond))),
        'CPU µs/request (median)': Math.round(median(own.map((run) => run.cpuUsPerRequest))),
        [`CPU vs ${targets[0]!.label} (median of per-round ratios)`]: median(
          own.map((run, index) => run.cpuUsPerRequest / first[index]!.cpuUsPerRequest),
        ).toFixed(3),
        [`me/s vs ${targets[0]!.label}`]: median(
          own.map((run, index) => run.perSecond / first[index]!.perSecond),
        ).toFixed(3),
      };
    }),
  );
  console.log(`OTLP exports received: ${sink.exports()}`);
} finally {
  for (const target of targets) target.child?.kill('SIGTERM');
  await Promise.all(
    targets.map((target) =>
      target.child && target.child.exitCode === null
        ? new Promise((done) => target.child!.once('exit', done))
        : undefined,
    ),
  );
  sink.close();
}
