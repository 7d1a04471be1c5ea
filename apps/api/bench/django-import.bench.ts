/**
 * Benchmark (not a test): `import:django` of a generated 100k-user dumpdata file, on PostgreSQL and
 * on embedded PGlite. Each import runs in a child process (`/usr/bin/time -v` gives its peak RSS);
 * figures are medians of RUNS runs. Usage:
 *   pnpm --filter @gql-auth/api exec tsx bench/django-import.bench.ts [users=100000] [runs=3]
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { createTestDatabase } from '../test/support/test-database.js';
import { writeDjangoDump } from './django-dump.js';

const run = promisify(execFile);
const USERS = Number(process.argv[2] ?? 100_000);
const RUNS = Number(process.argv[3] ?? 3);
const API_DIR = fileURLToPath(new URL('..', import.meta.url));

/** The child's environment: the parent's, minus DATABASE_URL (embedded unless `env` sets one). */
function childEnv(env: Record<string, string>): NodeJS.ProcessEnv {
  const { DATABASE_URL: _unused, ...rest } = process.env;
  return { ...rest, LOG_LEVEL: 'silent', BCRYPT_COST: '12', ...env };
}

interface RunResult {
  seconds: number;
  rssMb: number;
  /** User + system CPU of the import process: steadier than wall time on a shared machine. */
  cpuSeconds: number;
  /** Pass 2 (batched writes) alone, from the command's own final progress line. */
  writeRowsPerSecond: number;
}

async function importOnce(env: Record<string, string>, dump: string): Promise<RunResult> {
  const { stderr } = await run(
    '/usr/bin/time',
    ['-v', 'node', '--import', 'tsx', 'src/cli/main.ts', 'import:django', dump],
    { cwd: API_DIR, env: childEnv(env), maxBuffer: 1 << 26 },
  ).catch((error: { code: number; stderr: string; stdout: string }) => {
    // Exit 3 (rows rejected) is not expected here: the generated dump has no conflicts.
    throw new Error(`import failed (${error.code}): ${error.stderr.slice(-500)}`);
  });
  const seconds = wallSeconds(/Elapsed \(wall clock\) time.*: (.+)/.exec(stderr)![1]!);
  const rssKb = Number(/Maximum resident set size \(kbytes\): (\d+)/.exec(stderr)![1]);
  const rates = [...stderr.matchAll(/\(100%\) ([\d,]+) rows\/s/g)];
  const writeRowsPerSecond = Number((rates.at(-1)?.[1] ?? '0').replace(/,/g, ''));
  const cpu = (label: string) =>
    Number(new RegExp(`${label} time \\(seconds\\): ([\\d.]+)`).exec(stderr)![1]);
  const cpuSeconds = cpu('User') + cpu('System');
  return { seconds, rssMb: Math.round(rssKb / 1024), cpuSeconds, writeRowsPerSecond };
}

function wallSeconds(text: string): number {
  return text
    .trim()
    .split(':')
    .reduce((total, part) => total * 60 + Number(part), 0);
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

async function main() {
  const dir = await mkdtemp(join(tmpdir(), 'django-import-bench-'));
  try {
    const dump = join(dir, 'users.json');
    await writeDjangoDump(dump, USERS);
    const size = (await stat(dump)).size;
    console.log(
      `dump: ${USERS.toLocaleString('en-US')} users, ${(size / 1e6).toFixed(1)} MB; ${RUNS} runs per target`,
    );
    for (const target of ['postgresql', 'pglite'] as const) {
      const results: RunResult[] = [];
      for (let i = 0; i < RUNS; i += 1) {
        if (target === 'postgresql') {
          const database = await createTestDatabase('bench_import');
          try {
            results.push(await importOnce({ DATABASE_URL: database.url }, dump));
          } finally {
            await database.drop();
          }
        } else {
          const dataDir = await mkdtemp(join(dir, 'pglite-'));
          // Migrate first, so the timed run measures the import, not PGlite's first start.
          await run('node', ['--import', 'tsx', 'src/cli/main.ts', 'migrate'], {
            cwd: API_DIR,
            env: childEnv({ DATA_DIR: dataDir }),
          });
          results.push(await importOnce({ DATA_DIR: dataDir }, dump));
          await rm(dataDir, { recursive: true, force: true });
        }
      }
      const seconds = median(results.map((r) => r.seconds));
      console.log(
        `${target.padEnd(10)} median ${seconds.toFixed(1)} s wall (${Math.round(USERS / seconds).toLocaleString('en-US')} users/s end to end), CPU median ${median(results.map((r) => r.cpuSeconds)).toFixed(1)} s, pass 2 median ${median(results.map((r) => r.writeRowsPerSecond)).toLocaleString('en-US')} rows/s, peak RSS median ${median(results.map((r) => r.rssMb))} MB; runs: ${results.map((r) => `${r.seconds.toFixed(1)} s/${r.cpuSeconds.toFixed(1)} s CPU/${r.rssMb} MB`).join(', ')}`,
      );
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

await main();
