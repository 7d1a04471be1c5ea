// The service bootstrap's answer to a cluster that refuses the default role, against a real one: a
// throwaway PostgreSQL cluster of this machine that takes only scram passwords over TCP (as a hardened
// Debian install does), on its own port. As root, scripts/services.mjs says what it will do, creates the
// dedicated role through the local socket, checks that it logs in over TCP and writes its URL to the
// env file (mode 600), and the cluster's pg_hba.conf is byte for byte what it was.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

interface Target {
  url: string;
  host: string;
  port: number;
  username: string;
  password: string;
}
interface Services {
  ensurePgLogin(target: Target, log: (line: string) => void, options: { envFile: string }): Promise<string>;
  probePostgresAuth(target: Target): Promise<{ status: string }>;
}

const run = (command: string, args: string[]) => spawnSync(command, args, { encoding: 'utf8', cwd: '/' });
const has = (command: string) => run('sh', ['-c', `command -v ${command}`]).status === 0;
// Debian's cluster tools, as root: what the bootstrap's role path needs, and what makes the cluster.
const canRun =
  process.getuid?.() === 0 && ['pg_createcluster', 'pg_ctlcluster', 'runuser', 'psql'].every(has);
const version = existsSync('/etc/postgresql') ? (readdirSync('/etc/postgresql').sort().at(-1) ?? '') : '';
const cluster = `svctest${process.pid}`;
const hbaFile = `/etc/postgresql/${version}/${cluster}/pg_hba.conf`;
const workDir = mkdtempSync(join(tmpdir(), 'services-role-'));

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe.skipIf(!canRun)('scripts/services.mjs on a cluster that refuses the default role', () => {
  let port = 0;
  beforeAll(async () => {
    port = await freePort();
    const created = run('pg_createcluster', [
      version,
      cluster,
      '-p',
      String(port),
      '--',
      '--auth-host=scram-sha-256',
      '--auth-local=peer',
    ]);
    expect(created.status, created.stderr).toBe(0);
    const started = run('pg_ctlcluster', [version, cluster, 'start']);
    expect(started.status, started.stderr).toBe(0);
  }, 60_000);
  afterAll(() => {
    run('pg_dropcluster', ['--stop', version, cluster]);
    rmSync(workDir, { recursive: true, force: true });
  });

  it('creates app_test through the socket, proves its TCP login, writes .env.test (600), leaves pg_hba.conf', async () => {
    const digest = () => createHash('sha256').update(readFileSync(hbaFile)).digest('hex');
    const hbaBefore = digest();
    const services = (await import('../services.mjs')) as Services;
    const target: Target = {
      url: `postgres://postgres@127.0.0.1:${port}/postgres`,
      host: '127.0.0.1',
      port,
      username: 'postgres',
      password: '',
    };
    expect((await services.probePostgresAuth(target)).status).toBe('password');

    const envFile = join(workDir, '.env.test');
    const lines: string[] = [];
    const url = new URL(await services.ensurePgLogin(target, (line) => lines.push(line), { envFile }));

    expect(url.username).toBe('app_test');
    expect(url.password.length).toBeGreaterThanOrEqual(20);
    // It said what it would do before doing it, and the password is in no line it printed.
    expect(lines[0]).toMatch(/Not touching pg_hba\.conf; instead: creating role app_test/);
    expect(lines.at(-1)).toMatch(/role app_test logs in/);
    for (const line of lines) expect(line).not.toContain(url.password);
    // The role logs in over TCP with that password, and the cluster really checks it: a wrong one fails.
    const tcpLogin = (password: string) =>
      spawnSync(
        'psql',
        [
          '-X',
          '-At',
          '-h',
          '127.0.0.1',
          '-p',
          String(port),
          '-U',
          'app_test',
          '-d',
          'postgres',
          '-c',
          'select current_user',
        ],
        { encoding: 'utf8', env: { ...process.env, PGPASSWORD: password, PGCONNECT_TIMEOUT: '5' } },
      );
    expect(tcpLogin(decodeURIComponent(url.password)).stdout.trim()).toBe('app_test');
    expect(tcpLogin('not-the-password').status).not.toBe(0);
    expect(readFileSync(envFile, 'utf8')).toContain(`DATABASE_URL=${url.toString()}\n`);
    expect(statSync(envFile).mode & 0o777).toBe(0o600);
    expect(digest()).toBe(hbaBefore);

    // A second run (a new password for the same role) keeps one DATABASE_URL line.
    const again = await services.ensurePgLogin(target, () => {}, { envFile });
    expect(again).not.toBe(url.toString());
    expect(readFileSync(envFile, 'utf8').match(/^DATABASE_URL=/gm)).toHaveLength(1);
  }, 60_000);
});
