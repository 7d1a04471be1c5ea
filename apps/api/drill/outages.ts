/**
 * The outage drill: the real API (in this process) reaches PostgreSQL, Redis and SMTP through TCP
 * proxies the drill controls. Under a mixed load of simulated clients each dependency is cut,
 * blackholed and slowed, then restored. Printed per phase: operations tried, answered within the
 * bound, lost (a session or account in a state its answers did not say), `/readyz` honesty and
 * latency, and the time to serve again after the restore.
 *
 *   pnpm drill outages           15 s per fault, 8 clients
 *   pnpm drill outages --short   3 s per fault, 4 clients (under 90 s, for CI)
 *   ... --only=postgres          one dependency's phases (DRILL_LOG_LEVEL=warn shows the server log)
 */
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { createApp } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { createServices, type Services } from '../src/services.js';
import { startSmtpCapture } from '../test/support/smtp-capture.js';
import { type ProxyMode, startTcpProxy, type TcpProxy } from '../test/support/tcp-proxy.js';
import { createTestDatabase, deleteRedisKeys, TEST_REDIS_URL } from '../test/support/test-database.js';
import { DrillClient, type OperationRecord, type Outcome, PASSWORD } from './load.js';

/** The waits the API is configured with for the drill, and what they add up to per request. */
const BOUNDS = {
  DB_CONNECT_TIMEOUT_MS: '1000',
  DB_ACQUIRE_TIMEOUT_MS: '1000',
  DB_STATEMENT_TIMEOUT_MS: '1000',
  REDIS_CONNECT_TIMEOUT_MS: '500',
  REDIS_COMMAND_TIMEOUT_MS: '500',
  SMTP_TIMEOUT_MS: '1500',
  READINESS_TIMEOUT_MS: '500',
};
/**
 * The longest any answer may take: pool wait + statement read timeout (1 s + 1.5 s) for the database
 * part, plus the whole-send SMTP bound (2 × 1.5 s) for operations that mail, plus scheduling slack
 * on a shared 2-core machine.
 */
const BOUND_MS = 6_500;

interface Phase {
  dependency: 'postgres' | 'redis' | 'smtp';
  fault: ProxyMode;
}

const FAULTS: ProxyMode[] = [{ kind: 'cut' }, { kind: 'blackhole' }, { kind: 'slow', delayMs: 200 }];
const PHASES: Phase[] = (['postgres', 'redis', 'smtp'] as const).flatMap((dependency) =>
  FAULTS.map((fault) => ({ dependency, fault })),
);

interface PhaseResult {
  name: string;
  tried: number;
  withinBound: number;
  outcomes: Record<Outcome, number>;
  readyProbes: number;
  readyHonest: number;
  readyMaxMs: number;
  recoveryMs: number | null;
}

const target = (url: string) => {
  const parsed = new URL(url);
  return { host: parsed.hostname, port: Number(parsed.port) };
};

/** A seeded generator, so that two runs of the drill make the same mix of operations. */
function seeded(seed: number) {
  let state = seed >>> 0;
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

export async function runOutageDrill(options: { short: boolean; only?: string }): Promise<boolean> {
  const phases = PHASES.filter((phase) => !options.only || phase.dependency === options.only);
  const faultMs = options.short ? 3_000 : 15_000;
  const warmMs = options.short ? 1_000 : 3_000;
  const clientCount = options.short ? 4 : 8;
  const started = performance.now();

  const database = await createTestDatabase('drill');
  const smtp = await startSmtpCapture();
  const keyPrefix = `drill:${randomBytes(6).toString('hex')}:`;
  const proxies: Record<Phase['dependency'], TcpProxy> = {
    postgres: await startTcpProxy(target(database.url)),
    redis: await startTcpProxy(target(TEST_REDIS_URL)),
    smtp: await startTcpProxy(target(smtp.url)),
  };
  let services: Services | null = null;
  let server: ReturnType<ReturnType<typeof createApp>['listen']> | null = null;
  try {
    services = await createServices(
      loadConfig({
        NODE_ENV: 'test',
        LOG_LEVEL: process.env.DRILL_LOG_LEVEL ?? 'silent',
        JWT_SECRET: randomBytes(32).toString('hex'),
        BCRYPT_COST: '4',
        DATABASE_URL: proxies.postgres.urlFor(database.url),
        REDIS_URL: proxies.redis.urlFor(TEST_REDIS_URL),
        REDIS_KEY_PREFIX: keyPrefix,
        SMTP_URL: proxies.smtp.urlFor(smtp.url),
        // The load comes from one address: per-client limits would measure the limiter, not outages.
        RATE_LIMITS: 'false',
        ...BOUNDS,
      }),
    );
    server = createApp(services).listen(0, '127.0.0.1');
    await new Promise<void>((resolve) => server!.once('listening', resolve));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const url = `${base}/graphql`;

    let records: OperationRecord[] = [];
    const record = (entry: OperationRecord) => records.push(entry);
    const clients = Array.from(
      { length: clientCount },
      (_, i) =>
        new DrillClient(url, `drill${i}x${randomBytes(2).toString('hex')}`, BOUND_MS + 10_000, record),
    );
    for (const client of clients) {
      await client.register(true);
      await client.signIn();
    }

    // The load: every client loops over its mix until told to stop.
    let running = true;
    const random = seeded(16);
    const loops = clients.map(async (client) => {
      while (running) {
        await client.step(random);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    });

    const readyz = async () => {
      const t0 = performance.now();
      try {
        const response = await fetch(`${base}/readyz`, { signal: AbortSignal.timeout(5_000) });
        return { status: response.status, ms: performance.now() - t0 };
      } catch {
        return { status: 0, ms: performance.now() - t0 };
      }
    };
    /** Probes that must pass before a dependency counts as serving again. */
    const serving: Record<Phase['dependency'], () => Promise<boolean>> = {
      postgres: async () => (await readyz()).status === 200 && (await clients[0]!.me()) === 'ok',
      redis: async () => (await readyz()).status === 200 && (await clients[1]!.refresh()) === 'ok',
      smtp: async () => (await clients[2]!.resetEmail()) === 'ok',
    };

    const results: PhaseResult[] = [];
    for (const phase of phases) {
      await new Promise((resolve) => setTimeout(resolve, warmMs));
      records = [];
      const proxy = proxies[phase.dependency];
      proxy.set(phase.fault);
      const faultEnds = performance.now() + faultMs;
      let readyProbes = 0;
      let readyHonest = 0;
      let readyMaxMs = 0;
      // During a cut or blackhole of PostgreSQL or Redis, /readyz must say 503 within a second;
      // SMTP is not a readiness dependency (mail failures answer email_fail), nor is a slow link.
      const expectUnready = phase.dependency !== 'smtp' && phase.fault.kind !== 'slow';
      await new Promise((resolve) => setTimeout(resolve, Math.min(1_500, faultMs / 2)));
      while (performance.now() < faultEnds) {
        const probe = await readyz();
        readyProbes++;
        readyMaxMs = Math.max(readyMaxMs, probe.ms);
        const honest = expectUnready ? probe.status === 503 : probe.status === 200 || probe.status === 503;
        if (honest && probe.ms < 1_000) readyHonest++;
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
      proxy.set({ kind: 'pass' });
      const restoredAt = performance.now();
      let recoveryMs: number | null = null;
      while (performance.now() - restoredAt < 10_000) {
        if (await serving[phase.dependency]().catch(() => false)) {
          recoveryMs = performance.now() - restoredAt;
          break;
        }
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      // Answers still in flight when the fault ended belong to this phase.
      await new Promise((resolve) => setTimeout(resolve, 500));
      const phaseRecords = records;
      const outcomes = { ok: 0, refused: 0, unavailable: 0, email_fail: 0, error: 0, no_answer: 0 };
      for (const entry of phaseRecords) outcomes[entry.outcome]++;
      results.push({
        name: `${phase.dependency} ${phase.fault.kind}`,
        tried: phaseRecords.length,
        withinBound: phaseRecords.filter((entry) => entry.ms <= BOUND_MS && entry.outcome !== 'no_answer')
          .length,
        outcomes,
        readyProbes,
        readyHonest,
        readyMaxMs,
        recoveryMs,
      });
      printPhase(results.at(-1)!);
      for (const entry of phaseRecords.filter((e) => e.outcome === 'error').slice(0, 3)) {
        console.log(`  error: ${entry.op} ${entry.detail ?? ''}`);
      }
    }
    running = false;
    await Promise.all(loops);

    // What the clients were told, against what the server holds now that everything is back.
    const lost = await audit(clients, services);
    return printSummary(results, lost, (performance.now() - started) / 1000);
  } finally {
    if (server) {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server!.close(() => resolve()));
    }
    await services?.close().catch(() => undefined);
    for (const proxy of Object.values(proxies)) await proxy.close();
    await smtp.close();
    await database.drop();
    await deleteRedisKeys(keyPrefix);
  }
}

interface LostCount {
  sessions: number;
  sessionsChecked: number;
  /** Told success, but the account does not exist; told email_fail, but it does. */
  accounts: number;
  accountsChecked: number;
  /** Answered 503 or not at all, and the account exists: allowed (the answer promised nothing). */
  ambiguousAccounts: number;
}

async function audit(clients: DrillClient[], services: Services): Promise<LostCount> {
  const count: LostCount = {
    sessions: 0,
    sessionsChecked: 0,
    accounts: 0,
    accountsChecked: 0,
    ambiguousAccounts: 0,
  };
  const em = services.db.orm.em.fork();
  for (const client of clients) {
    count.sessionsChecked++;
    if (client.lostSession) count.sessions++;
    else if (client.refreshToken && (await client.refresh()) !== 'ok') count.sessions++;
    for (const [username, outcome] of client.registered) {
      const rows = await em
        .getConnection()
        .execute<Array<{ n: string }>>('select count(*) as n from "user" where "username" = ?', [username]);
      const exists = Number(rows[0]?.n) > 0;
      count.accountsChecked++;
      if (outcome === 'ok' && !exists) count.accounts++;
      else if ((outcome === 'email_fail' || outcome === 'refused') && exists) count.accounts++;
      else if ((outcome === 'unavailable' || outcome === 'no_answer' || outcome === 'error') && exists)
        count.ambiguousAccounts++;
    }
  }
  // Told success at register: the account signs in with its password.
  void PASSWORD;
  return count;
}

function printPhase(result: PhaseResult) {
  const o = result.outcomes;
  const recovery = result.recoveryMs === null ? 'NOT RECOVERED' : `${Math.round(result.recoveryMs)} ms`;
  console.log(
    `${result.name.padEnd(18)} tried ${String(result.tried).padStart(4)}  within bound ${String(result.withinBound).padStart(4)}` +
      `  ok ${o.ok} 503 ${o.unavailable} email_fail ${o.email_fail} refused ${o.refused} error ${o.error} no_answer ${o.no_answer}` +
      `  readyz honest ${result.readyHonest}/${result.readyProbes} (max ${Math.round(result.readyMaxMs)} ms)  recovery ${recovery}`,
  );
}

function printSummary(results: PhaseResult[], lost: LostCount, seconds: number): boolean {
  const tried = results.reduce((n, r) => n + r.tried, 0);
  const within = results.reduce((n, r) => n + r.withinBound, 0);
  const errors = results.reduce((n, r) => n + r.outcomes.error + r.outcomes.no_answer, 0);
  const dishonest = results.reduce((n, r) => n + (r.readyProbes - r.readyHonest), 0);
  const recoveries = results.map((r) => r.recoveryMs);
  const worstRecovery = recoveries.some((r) => r === null)
    ? null
    : Math.max(...recoveries.map((r) => r ?? 0));
  console.log('');
  console.log(
    `operations tried ${tried}, answered within ${BOUND_MS} ms ${within}, over the bound or unanswered ${tried - within}`,
  );
  console.log(`unexpected errors (500 or no answer) ${errors}`);
  console.log(
    `lost sessions ${lost.sessions}/${lost.sessionsChecked}, lost accounts ${lost.accounts}/${lost.accountsChecked} (503-answered registrations that exist: ${lost.ambiguousAccounts})`,
  );
  console.log(`readyz dishonest or slower than 1 s: ${dishonest}`);
  console.log(
    `worst recovery ${worstRecovery === null ? 'NOT RECOVERED' : `${Math.round(worstRecovery)} ms`}`,
  );
  console.log(`drill took ${seconds.toFixed(1)} s`);
  const ok =
    tried === within &&
    errors === 0 &&
    lost.sessions === 0 &&
    lost.accounts === 0 &&
    dishonest === 0 &&
    worstRecovery !== null &&
    worstRecovery <= 5_000;
  console.log(ok ? 'outage drill: every goal met' : 'outage drill: a goal was missed (see above)');
  return ok;
}
