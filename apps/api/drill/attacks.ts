/**
 * `pnpm drill [attacks] [--short] [--only fuzz,cost,brute,slow]`: attacks a real API process on PostgreSQL +
 * Redis (ephemeral loopback port, throw-away database and key prefix) and prints, per drill, what it
 * tried, survived and lost. Exits 1 when anything was lost. `--short` (CI) runs every drill with small
 * counts and short HTTP timeouts in well under 90 s; the full run sends 10,000+ fuzz requests.
 */
import { parseArgs } from 'node:util';
import { bruteForceDrill } from './brute-force.drill.js';
import type { Drill, DrillResult } from './drill-kit.js';
import { startDrillServer } from './drill-server.js';
import { fuzzDrill } from './fuzz.drill.js';
import { queryCostDrill } from './query-cost.drill.js';
import { slowClientsDrill } from './slow-clients.drill.js';

const { values } = parseArgs({
  options: { short: { type: 'boolean', default: false }, only: { type: 'string' } },
  // `attacks` (the drill's name, given through main.ts) is the only positional.
  allowPositionals: true,
});
const short = values.short ?? false;
const headersTimeoutMs = short ? 2_000 : 10_000;
const bodyTimeoutMs = short ? 2_000 : 10_000;

const drills: Record<string, Drill> = {
  cost: queryCostDrill,
  brute: bruteForceDrill,
  fuzz: fuzzDrill,
  slow: slowClientsDrill({ headersTimeoutMs, bodyTimeoutMs }),
};
const chosen = values.only ? values.only.split(',') : Object.keys(drills);

const started = performance.now();
const server = await startDrillServer({
  // Production limits, except shorter sign-in waits so a run stays short, and the HTTP deadlines;
  // --short hashes at cost 10 (a quarter of the time) so CI's run fits its budget.
  BCRYPT_COST: short ? '10' : '12',
  RATE_LIMIT_SIGN_IN_DELAY_MS: '100',
  RATE_LIMIT_SIGN_IN_MAX_DELAY_MS: '400',
  HTTP_HEADERS_TIMEOUT_MS: String(headersTimeoutMs),
  HTTP_REQUEST_TIMEOUT_MS: String(headersTimeoutMs * 3),
  HTTP_BODY_TIMEOUT_MS: String(bodyTimeoutMs),
});
// Stopped from outside (Ctrl-C, a CI timeout): still leave no server, database or keys behind.
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    console.log(`\n${signal}: stopping the drill server`);
    void server.close().finally(() => process.exit(130));
  });
}
const results: DrillResult[] = [];
try {
  for (const name of chosen) {
    const drill = drills[name];
    if (!drill) throw new Error(`unknown drill ${name}; choose from ${Object.keys(drills).join(', ')}`);
    const result = await drill(server, { short });
    results.push(result);
    console.log(`\n${result.name}: tried ${result.tried}, survived ${result.survived}, lost ${result.lost}`);
    for (const note of result.notes) console.log(`  ${note}`);
    for (const loss of result.losses) console.log(`  LOST ${loss}`);
    if (!server.alive()) {
      console.log('  LOST the server process died');
      break;
    }
  }
} finally {
  await server.close();
}
const lost = results.reduce((sum, result) => sum + result.lost, 0);
const tried = results.reduce((sum, result) => sum + result.tried, 0);
console.log(
  `\ndrill${short ? ' --short' : ''}: tried ${tried}, survived ${tried - lost}, lost ${lost} in ${Math.round((performance.now() - started) / 1000)} s`,
);
process.exit(lost > 0 ? 1 : 0);
