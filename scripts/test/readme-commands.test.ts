// The README promises that every command works with only Node and npm. This reads the README's command
// table, checks each entry is an npm command naming a script that exists, and runs every one that leaves
// the checkout as it was, on a PATH without pnpm, expecting exit 0. The CLI commands that touch a database
// run on a fresh embedded data directory (DATA_DIR in a temporary folder).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = realpathSync(fileURLToPath(new URL('../..', import.meta.url)));
const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
const scripts: Record<string, string> = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).scripts;

/** The commands in the first column of the table under "## Commands" (`a` / `b` cells hold two). */
function readmeCommands(): string[] {
  const section = readme.slice(
    readme.indexOf('## Commands'),
    readme.indexOf('\n## ', readme.indexOf('## Commands') + 3),
  );
  return section
    .split('\n')
    .filter((line) => line.startsWith('| `'))
    .flatMap((line) => [...(line.split('|')[1] ?? '').matchAll(/`([^`]+)`/g)].map((match) => match[1] ?? ''));
}

/** The script an `npm start` / `npm test` / `npm run <script> -- …` command runs. */
function scriptOf(command: string): string | undefined {
  const words = command.split(' ');
  if (words[0] !== 'npm') return undefined;
  return words[1] === 'run' ? words[2] : words[1];
}

/** Commands not run here, each with the reason (the rest are run). */
const NOT_RUN: Record<string, string> = {
  'npm start': 'a long-running server (the bootstrap start path is what every integration test builds on)',
  'npm test': 'this suite itself',
  'npm run dev': 'a long-running watch loop (scripts/test/schema-loop.test.ts drives it)',
  'npm run build': 'replaces apps/api/dist while other test files run from it',
  'npm run format': 'rewrites files (`npm run lint` is the same check without writing)',
  'npm run schema:snapshot': 'rewrites schema.graphql (a release step)',
  'npm run bench': 'a benchmark, minutes long',
  'npm run drill -- [attacks] [--short]': 'a drill against a real API process, minutes long',
  'npm run drill -- outages [--short]': 'an outage drill, minutes long',
  'npm run cli -- import:django <dump>': 'needs a Django dumpdata file (its own tests import fixtures)',
  'npm run db:migration:create -- <Name>': 'writes a migration file into the source tree',
  'npm run cli -- createsuperuser': 'interactive (its --no-input form is tested in apps/api/test/cli/)',
  'npm run scaffold -- <dir> [--name] [--scope]': 'scripts/test/scaffold.test.ts runs it end to end',
  'npm run services': 'starts system services (runs before every `npm test` anyway)',
  'npm run deps:outdated':
    'asks the npm registry, whose answer changes with every release (scripts/test/held-back.test.ts tests the check)',
  'npm run cli -- cleartokens [--expired]': 'run below as `npm run cli -- cleartokens`',
  'npm run cli -- audit:prune [--days N]': 'run below with `--days 36500` (keeps everything younger)',
};
const RUN_INSTEAD: Record<string, string> = {
  'npm run cli -- cleartokens [--expired]': 'npm run cli -- cleartokens',
  'npm run cli -- audit:prune [--days N]': 'npm run cli -- audit:prune --days 36500',
};

/** PATH without any folder that holds a pnpm: the machine of a user who has only Node and npm. */
function pathWithoutPnpm(): string {
  return (process.env.PATH ?? '')
    .split(delimiter)
    .filter((dir) => dir && !['pnpm', 'pnpm.cmd', 'pnpx'].some((bin) => existsSync(join(dir, bin))))
    .join(delimiter);
}

const dataDir = mkdtempSync(join(tmpdir(), 'readme-commands-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

function env(): NodeJS.ProcessEnv {
  const clean: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (key.startsWith('VITEST') || key.startsWith('npm_') || key.startsWith('PNPM') || key === 'NODE_ENV')
      continue;
    if (['DATABASE_URL', 'REDIS_URL', 'SMTP_URL', 'TEST', 'INIT_CWD'].includes(key)) continue;
    clean[key] = value;
  }
  return { ...clean, PATH: pathWithoutPnpm(), DATA_DIR: dataDir, CI: '' };
}

const commands = readmeCommands();

describe('README commands', () => {
  it('lists the commands, each an npm command over an existing script', () => {
    expect(commands.length).toBeGreaterThan(15);
    for (const command of commands) {
      const script = scriptOf(command);
      expect(script, `${command} is not an npm command`).toBeDefined();
      expect(Object.keys(scripts), `${command}: no such script`).toContain(script);
    }
    expect(commands).toContain('npm run cli -- --help');
  });

  it('the root scripts call no global pnpm', () => {
    for (const [name, body] of Object.entries(scripts)) expect(body, name).not.toMatch(/(^|&&\s*)pnpm /);
  });

  const runnable = commands.filter((command) => !(command in NOT_RUN) || command in RUN_INSTEAD);
  it.each(runnable.map((command) => RUN_INSTEAD[command] ?? command))(
    '%s exits 0 with only Node and npm',
    (command) => {
      const [npm, ...args] = command.split(' ');
      const result = spawnSync(npm ?? 'npm', args, {
        cwd: ROOT,
        env: env(),
        encoding: 'utf8',
        timeout: 280_000,
      });
      const output = `${result.stdout}${result.stderr}`;
      expect(output).not.toMatch(/pnpm: not found|ELIFECYCLE/);
      expect(result.status, output).toBe(0);
    },
    300_000,
  );

  it('`npm run cli -- --help` lists the commands on stdout; an unknown command exits 2', () => {
    const help = spawnSync('npm', ['run', '--silent', 'cli', '--', '--help'], {
      cwd: ROOT,
      env: env(),
      encoding: 'utf8',
    });
    expect(help.status).toBe(0);
    expect(help.stdout).toMatch(/createsuperuser/);
    const unknown = spawnSync('npm', ['run', '--silent', 'cli', '--', 'no-such-command'], {
      cwd: ROOT,
      env: env(),
      encoding: 'utf8',
    });
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toMatch(/unknown command: no-such-command/);
  }, 120_000);
});
