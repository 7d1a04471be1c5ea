// Standard tooling: docker-compose.yml and the GitHub Actions workflow parse as YAML and say what they
// must (health checks; the same steps as .ci/run), and the service bootstrap never edits pg_hba.conf:
// a refused login stops with the commands to run, against the real PostgreSQL of this machine.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync, realpathSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

const ROOT = realpathSync(fileURLToPath(new URL('../..', import.meta.url)));
const read = (path: string) => readFileSync(join(ROOT, path), 'utf8');

describe('docker-compose.yml', () => {
  const compose = parse(read('docker-compose.yml'));
  it('runs PostgreSQL, Redis and a mail catcher, each with a health check, on loopback', () => {
    expect(Object.keys(compose.services).sort()).toEqual(['mailpit', 'postgres', 'redis']);
    for (const [name, service] of Object.entries<{ healthcheck?: { test?: unknown }; ports: string[] }>(
      compose.services,
    )) {
      expect(service.healthcheck?.test, name).toBeDefined();
      for (const port of service.ports) expect(port, name).toMatch(/^127\.0\.0\.1:/);
    }
  });
});

describe('GitHub Actions workflow', () => {
  const workflow = parse(read('.github/workflows/ci.yml'));
  const job = workflow.jobs.test;
  it('runs the steps of .ci/run, in order', () => {
    const ciSteps = read('.ci/run')
      .split('\n')
      .map((line) => line.trim())
      .filter(
        (line) =>
          line &&
          !line.startsWith('#') &&
          !line.startsWith('set ') &&
          !line.startsWith('cd ') &&
          !line.startsWith('export '),
      );
    // A multi-line step runs in one shell: compare its lines one by one.
    const runs = job.steps
      .filter((step: { run?: string }) => step.run)
      .flatMap((step: { run: string }) =>
        step.run
          .split('\n')
          .map((line) => line.trim())
          .filter(Boolean),
      );
    expect(runs).toEqual(ciSteps);
  });
  it('sets the variables .ci/run exports', () => {
    const exported = [...read('.ci/run').matchAll(/^export (\w+)=(.*)$/gm)];
    expect(exported.length).toBeGreaterThan(0);
    for (const [, name = '', value] of exported) expect(String(job.env[name]), name).toBe(value);
  });
  it('gives the suite PostgreSQL and Redis as service containers with health checks', () => {
    expect(Object.keys(job.services).sort()).toEqual(['postgres', 'redis']);
    for (const service of Object.values<{ options: string }>(job.services))
      expect(service.options).toMatch(/--health-cmd/);
    expect(job.env.DATABASE_URL).toMatch(/^postgres:\/\/app:[^@]+@127\.0\.0\.1:5432\//);
    expect(job.env.REDIS_URL).toBe('redis://127.0.0.1:6379');
  });
});

describe('scripts/services.mjs', () => {
  it('a refused login stops with the exact commands to run, and pg_hba.conf is left as it was', async () => {
    const psql = (sql: string) =>
      spawnSync('psql', ['-h', '127.0.0.1', '-U', 'postgres', '-Atc', sql], { encoding: 'utf8' });
    const hbaFile = psql('show hba_file').stdout.trim();
    expect(hbaFile).toMatch(/pg_hba\.conf$/);
    const digest = () => createHash('sha256').update(readFileSync(hbaFile)).digest('hex');
    const before = digest();
    const { ensurePgLogin } = (await import('../services.mjs')) as {
      ensurePgLogin(target: unknown, log: (line: string) => void): Promise<void>;
    };
    // This machine's cluster trusts local logins, so the refusal comes from a server that speaks just
    // enough of the protocol: it answers the startup message as a password-protected cluster does
    // (AuthenticationMD5Password), on an ephemeral loopback port.
    const server = createServer((socket) => {
      socket.once('data', () => {
        const answer = Buffer.alloc(13);
        answer.write('R', 0);
        answer.writeInt32BE(12, 1);
        answer.writeInt32BE(5, 5);
        socket.end(answer);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as { port: number }).port;
    let message = '';
    try {
      message = await ensurePgLogin(
        { host: '127.0.0.1', port, username: 'postgres', password: '' },
        () => {},
      ).then(
        () => 'resolved',
        (error: Error) => error.message,
      );
    } finally {
      server.close();
    }
    expect(message).toMatch(
      /wants a password for role "postgres"\. scripts\/services\.mjs never changes pg_hba\.conf/,
    );
    expect(message).toContain(
      `sudo -u postgres psql -p ${port} -c "CREATE ROLE app_test LOGIN CREATEDB PASSWORD`,
    );
    expect(message).toContain('>> .env.test');
    expect(message).toContain('docker compose up -d --wait');
    expect(digest()).toBe(before);
    // The one file it writes is .env.test (the dedicated role's URL); it never reloads the server's config.
    const source = read('scripts/services.mjs');
    expect([...source.matchAll(/writeFileSync\(\s*([^,\s]+)/g)].map((m) => m[1])).toEqual(['envFile']);
    expect(source).not.toMatch(/pg_ctlcluster[^\n]*reload|pg_hba\.conf['"`],/);
  });
});
