#!/usr/bin/env node
// Makes sure PostgreSQL and Redis are reachable for the test suite.
//
// Runs before `pnpm install`, so it uses Node built-ins only.
//
//   node scripts/services.mjs [start]   probe both, start/install local ones if needed
//   node scripts/services.mjs status    report up/down, exit 0 only if both are up
//
// Targets: DATABASE_URL (default postgres://postgres@127.0.0.1:5432/postgres) and
// REDIS_URL (default redis://127.0.0.1:6379). A URL set explicitly is only probed:
// nothing is started for it. For the default local addresses the script starts
// the Debian services (installing them with apt-get first when running as root
// on a machine that does not have them), saying what it runs before it runs it.
// It never edits pg_hba.conf or any other authentication setting: when PostgreSQL
// refuses the test role, it stops and prints the commands that give the tests a
// role of their own in `.env.test` (or the Docker alternative, docker-compose.yml).

import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import {
  accessSync,
  existsSync,
  constants as fsConstants,
  mkdirSync,
  readdirSync,
  readFileSync,
  writeFileSync,
} from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import tls from 'node:tls';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const DEFAULT_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/postgres';
export const DEFAULT_REDIS_URL = 'redis://127.0.0.1:6379';

/** Where the tests' own service URLs go (read by `npm test`, git-ignored). */
export const ENV_TEST_FILE = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '.env.test');

const CONNECT_TIMEOUT_MS = 1500;
const READY_TIMEOUT_MS = 30_000;
const POLL_INTERVAL_MS = 500;

const defaultLog = (line) => console.log(line);

// ---------------------------------------------------------------------------
// URL helpers

/** Replaces the password of a URL-ish string with ***; never returns the secret. */
export function maskUrl(raw) {
  if (typeof raw !== 'string') return String(raw);
  try {
    const u = new URL(raw);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    // Not parseable: mask anything that looks like user:password@ anyway.
    return raw.replace(/(\/\/[^/@:]*):[^@/]*@/, '$1:***@').replace(/^([^/@:]+):[^@/]*@/, '$1:***@');
  }
}

function parseTarget(raw, { name, defaultPort, protocols }) {
  let u;
  try {
    u = new URL(raw);
  } catch {
    throw new Error(`${name} is not a valid URL: ${maskUrl(raw)}`);
  }
  if (!protocols.includes(u.protocol)) {
    throw new Error(`${name} must use ${protocols.map((p) => `${p}//`).join(' or ')}, got ${maskUrl(raw)}`);
  }
  let host = u.hostname || '127.0.0.1';
  if (host.startsWith('[') && host.endsWith(']')) host = host.slice(1, -1);
  const port = u.port ? Number(u.port) : defaultPort;
  return {
    url: raw,
    display: maskUrl(raw),
    host,
    port,
    tls: u.protocol === 'rediss:',
    username: decodeURIComponent(u.username || ''),
    password: decodeURIComponent(u.password || ''),
    database: decodeURIComponent(u.pathname.replace(/^\//, '')),
  };
}

const parsePostgresUrl = (raw) =>
  parseTarget(raw, { name: 'DATABASE_URL', defaultPort: 5432, protocols: ['postgres:', 'postgresql:'] });
const parseRedisUrl = (raw) =>
  parseTarget(raw, { name: 'REDIS_URL', defaultPort: 6379, protocols: ['redis:', 'rediss:'] });

const hostPort = (t) => (t.host.includes(':') ? `[${t.host}]:${t.port}` : `${t.host}:${t.port}`);

// ---------------------------------------------------------------------------
// Probes

/**
 * Opens a TCP (or TLS) connection, optionally writes `payload`, and resolves with
 * the bytes received until `done(buffer)` returns true, the peer closes, or the timeout hits.
 * Resolves { ok, reason, data, connected }.
 */
function talk({ host, port, useTls = false, payload, done, timeoutMs = CONNECT_TIMEOUT_MS }) {
  return new Promise((resolve) => {
    let connected = false;
    let data = Buffer.alloc(0);
    let settled = false;
    const socket = useTls
      ? tls.connect({ host, port, servername: net.isIP(host) ? undefined : host, rejectUnauthorized: false })
      : net.connect({ host, port });
    const finish = (result) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      resolve({ connected, data, ...result });
    };
    const timer = setTimeout(
      () => finish({ ok: false, reason: connected ? 'no answer (timeout)' : 'connect timeout' }),
      timeoutMs,
    );
    socket.once(useTls ? 'secureConnect' : 'connect', () => {
      connected = true;
      if (payload) socket.write(payload);
      else finish({ ok: true });
    });
    socket.on('data', (chunk) => {
      data = Buffer.concat([data, chunk]);
      if (done?.(data)) finish({ ok: true });
    });
    socket.once('error', (err) => finish({ ok: false, reason: err.code || err.message }));
    socket.once('close', () => finish({ ok: data.length > 0, reason: 'connection closed' }));
  });
}

/** PostgreSQL: TCP connect + SSLRequest, expecting 'S' or 'N'. */
export async function probePostgres(target) {
  const sslRequest = Buffer.alloc(8);
  sslRequest.writeInt32BE(8, 0);
  sslRequest.writeInt32BE(80877103, 4);
  const r = await talk({
    host: target.host,
    port: target.port,
    payload: sslRequest,
    done: (d) => d.length >= 1,
  });
  if (!r.connected) return { up: false, reachable: false, reason: r.reason };
  const answer = r.data.length ? String.fromCharCode(r.data[0]) : '';
  if (answer === 'S' || answer === 'N') return { up: true, reachable: true };
  return {
    up: false,
    reachable: true,
    reason: answer
      ? `unexpected answer to SSLRequest (${JSON.stringify(answer)}), is this PostgreSQL?`
      : r.reason,
  };
}

function parsePgError(buf) {
  // ErrorResponse body: repeated (type byte, cstring), terminated by 0.
  const fields = {};
  let i = 0;
  while (i < buf.length && buf[i] !== 0) {
    const type = String.fromCharCode(buf[i]);
    const end = buf.indexOf(0, i + 1);
    if (end === -1) break;
    fields[type] = buf.toString('utf8', i + 1, end);
    i = end + 1;
  }
  return { code: fields.C, message: fields.M };
}

/**
 * Sends a StartupMessage (no SSL) and classifies the first answer:
 *   { status: 'ok' }            AuthenticationOk, i.e. trust
 *   { status: 'password' }      the server asks for a password
 *   { status: 'rejected' }      28000 / 28P01 (no pg_hba entry, bad password)
 *   { status: 'starting' }      57P03, the server is still starting
 *   { status: 'error' }         anything else (message in .message)
 */
export async function probePostgresAuth(target) {
  const user = target.username || 'postgres';
  const database = target.database || user;
  const params = Buffer.from(`user\0${user}\0database\0${database}\0\0`, 'utf8');
  const msg = Buffer.alloc(8 + params.length);
  msg.writeInt32BE(msg.length, 0);
  msg.writeInt32BE(196608, 4); // protocol 3.0
  params.copy(msg, 8);
  const complete = (d) => d.length >= 5 && d.length >= 1 + d.readInt32BE(1);
  const r = await talk({
    host: target.host,
    port: target.port,
    payload: msg,
    done: complete,
    timeoutMs: 5000,
  });
  if (!r.connected) return { status: 'down', message: r.reason };
  if (!complete(r.data)) return { status: 'error', message: r.reason || 'incomplete answer' };
  const type = String.fromCharCode(r.data[0]);
  const body = r.data.subarray(5, 1 + r.data.readInt32BE(1));
  if (type === 'R') {
    const code = body.readInt32BE(0);
    return code === 0
      ? { status: 'ok' }
      : { status: 'password', message: `server requires authentication (method ${code})` };
  }
  if (type === 'E') {
    const { code, message } = parsePgError(body);
    if (code === '57P03') return { status: 'starting', message };
    if ((code === '28000' && !/does not exist/.test(message ?? '')) || code === '28P01') {
      return { status: 'rejected', message };
    }
    return { status: 'error', code, message };
  }
  return { status: 'error', message: `unexpected message type ${JSON.stringify(type)}` };
}

function respCommand(...args) {
  return `*${args.length}\r\n${args.map((a) => `$${Buffer.byteLength(a)}\r\n${a}\r\n`).join('')}`;
}

/** Redis: connect, optional AUTH, PING, expect +PONG. */
export async function probeRedis(target) {
  let payload = 'PING\r\n';
  let expectedLines = 1;
  if (target.password) {
    payload =
      (target.username
        ? respCommand('AUTH', target.username, target.password)
        : respCommand('AUTH', target.password)) + payload;
    expectedLines = 2;
  }
  const countLines = (d) => d.toString('latin1').split('\r\n').length - 1;
  const r = await talk({
    host: target.host,
    port: target.port,
    useTls: target.tls,
    payload,
    done: (d) => countLines(d) >= expectedLines,
  });
  if (!r.connected) return { up: false, reachable: false, reason: r.reason };
  const lines = r.data.toString('latin1').split('\r\n').filter(Boolean);
  if (lines.at(-1) === '+PONG' && lines.length >= expectedLines) return { up: true, reachable: true };
  const err = lines.find((l) => l.startsWith('-'));
  return {
    up: false,
    reachable: true,
    reason: err
      ? `server answered ${err.slice(0, 120)}`
      : `no +PONG answer (${r.reason ?? 'unexpected reply'}), is this Redis?`,
  };
}

// ---------------------------------------------------------------------------
// System helpers

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const isRoot = () => process.getuid?.() === 0;

function which(cmd) {
  const dirs = (process.env.PATH || '').split(path.delimiter).filter(Boolean);
  for (const dir of dirs) {
    const file = path.join(dir, cmd);
    try {
      accessSync(file, fsConstants.X_OK);
      return file;
    } catch {}
  }
  return null;
}

const shellQuote = (a) => (/^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replaceAll("'", `'\\''`)}'`);

function run(cmd, args, { log, env, inherit = true } = {}) {
  log?.(`[services] $ ${[cmd, ...args].map(shellQuote).join(' ')}`);
  const r = spawnSync(cmd, args, {
    stdio: inherit ? 'inherit' : ['ignore', 'pipe', 'pipe'],
    encoding: 'utf8',
    env: env ? { ...process.env, ...env } : process.env,
  });
  if (r.error) return { ok: false, status: null, error: r.error.message, stdout: '', stderr: '' };
  return { ok: r.status === 0, status: r.status, stdout: r.stdout ?? '', stderr: r.stderr ?? '' };
}

async function waitFor(check, timeoutMs = READY_TIMEOUT_MS) {
  const deadline = Date.now() + timeoutMs;
  let last;
  for (;;) {
    last = await check();
    if (last.up || Date.now() >= deadline) return last;
    await sleep(POLL_INTERVAL_MS);
  }
}

function tail(file, n = 15) {
  try {
    return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-n).join('\n');
  } catch {
    return '';
  }
}

const aptState = { updated: false, installed: new Set() };

/** apt-get update (once) + install. Returns true on success. */
function aptInstall(packages, log) {
  if (!which('apt-get')) return false;
  if (!aptState.updated) {
    const u = run('apt-get', ['update'], { log, env: { DEBIAN_FRONTEND: 'noninteractive' } });
    if (!u.ok) {
      log(`[services] apt-get update failed (exit ${u.status ?? u.error})`);
      return false;
    }
    aptState.updated = true;
  }
  const r = run('apt-get', ['install', '-y', ...packages], {
    log,
    env: { DEBIAN_FRONTEND: 'noninteractive' },
  });
  if (!r.ok) log(`[services] apt-get install ${packages.join(' ')} failed (exit ${r.status ?? r.error})`);
  else for (const p of packages) aptState.installed.add(p);
  return r.ok;
}

// ---------------------------------------------------------------------------
// PostgreSQL (Debian postgresql-common)

const pgInstalled = () => Boolean(which('pg_ctlcluster')) && installedPgVersions().length > 0;

function installedPgVersions() {
  try {
    return readdirSync('/usr/lib/postgresql')
      .filter((v) => existsSync(`/usr/lib/postgresql/${v}/bin/postgres`))
      .sort((a, b) => Number.parseFloat(b) - Number.parseFloat(a));
  } catch {
    return [];
  }
}

function pgConfiguredVersions() {
  try {
    return readdirSync('/etc/postgresql')
      .filter((v) => /^\d+(\.\d+)?$/.test(v))
      .sort((a, b) => Number.parseFloat(b) - Number.parseFloat(a));
  } catch {
    return [];
  }
}

/** Picks the cluster serving `port` (pg_lsclusters), else <newest version>/main from /etc/postgresql. */
function findPgCluster(port) {
  if (which('pg_lsclusters')) {
    const r = run('pg_lsclusters', ['--no-header'], { inherit: false });
    if (r.ok) {
      const clusters = r.stdout
        .split('\n')
        .map((l) => l.trim().split(/\s+/))
        .filter((f) => f.length >= 4)
        .map(([version, name, p, status]) => ({ version, name, port: Number(p), status }));
      const match =
        clusters.find((c) => c.port === port && c.name === 'main') ?? clusters.find((c) => c.port === port);
      if (match) return match;
    }
  }
  for (const version of pgConfiguredVersions()) {
    if (existsSync(`/etc/postgresql/${version}/main`))
      return { version, name: 'main', port: null, status: 'unknown' };
  }
  return null;
}

function pgHint(target) {
  const version = findPgCluster(target.port)?.version ?? pgConfiguredVersions()[0] ?? '$(ls /etc/postgresql)';
  return (
    `PostgreSQL is not reachable at ${hostPort(target)}. Start it (Debian: apt-get install postgresql && ` +
    `pg_ctlcluster --skip-systemctl-redirect ${version} main start) or set DATABASE_URL.`
  );
}

/**
 * Makes sure the role from the URL can log in. This script never edits pg_hba.conf (a template must not
 * weaken a machine's database authentication). When the server wants a password or refuses the role:
 * as root, with the cluster on this machine, it says what it will do and gives the tests a role of
 * their own (`app_test`, a generated password, created through the local socket as the postgres
 * superuser) written to `.env.test`; elsewhere it stops and prints exactly what to run instead.
 * Returns the URL to use (the dedicated role's, or `target`'s own).
 */
export async function ensurePgLogin(target, log, { envFile = ENV_TEST_FILE } = {}) {
  let auth;
  for (let i = 0; i < 20; i++) {
    auth = await probePostgresAuth(target);
    if (auth.status !== 'starting' && auth.status !== 'down') break;
    await sleep(POLL_INTERVAL_MS);
  }
  if (auth.status === 'ok') return target.url;
  if (auth.status === 'error') {
    log(`[services] warning: PostgreSQL answered: ${auth.message ?? auth.code ?? 'unknown error'}`);
    return target.url;
  }
  if (auth.status !== 'password' && auth.status !== 'rejected') {
    throw new Error(
      `PostgreSQL at ${hostPort(target)} did not accept a login: ${auth.message ?? auth.status}`,
    );
  }
  // Only a cluster of this machine on that very port: its socket is where the superuser logs in.
  const cluster = findPgCluster(target.port);
  if (!isRoot() || cluster?.port !== target.port || !which('runuser') || !which('psql'))
    throw new Error(pgLoginHint(target, auth));
  return createTestRole(target, cluster, auth, log, envFile);
}

const TEST_ROLE = 'app_test';

/** The dedicated role: created (or given a new password) through the local socket, kept in `.env.test`. */
async function createTestRole(target, cluster, auth, log, envFile) {
  const why = auth.status === 'password' ? 'wants a password' : 'refuses it';
  log(
    `[services] PostgreSQL ${cluster.version}/${cluster.name} ${why} for role "${target.username || 'postgres'}". ` +
      `Not touching pg_hba.conf; instead: creating role ${TEST_ROLE} (LOGIN CREATEDB, generated password) ` +
      `through the local socket as postgres, and writing its DATABASE_URL to ${envFile}`,
  );
  // base64url: no quote or URL-reserved character, so it goes into SQL and the URL as it is.
  const password = randomBytes(18).toString('base64url');
  const sql =
    `DO $$ BEGIN IF EXISTS (SELECT FROM pg_roles WHERE rolname = '${TEST_ROLE}') ` +
    `THEN ALTER ROLE ${TEST_ROLE} WITH LOGIN CREATEDB PASSWORD '${password}'; ` +
    `ELSE CREATE ROLE ${TEST_ROLE} WITH LOGIN CREATEDB PASSWORD '${password}'; END IF; END $$`;
  // Not through `run`: the statement holds the password, and `run` logs what it runs.
  log(`[services] $ runuser -u postgres -- psql -p ${cluster.port} -c '<create or alter role ${TEST_ROLE}>'`);
  const created = spawnSync(
    'runuser',
    [
      '-u',
      'postgres',
      '--',
      'psql',
      '-X',
      '-q',
      '-v',
      'ON_ERROR_STOP=1',
      '-p',
      String(cluster.port),
      '-c',
      sql,
    ],
    { encoding: 'utf8', cwd: '/' },
  );
  if (created.status !== 0) {
    throw new Error(
      `${pgLoginHint(target, auth)}
(Creating role ${TEST_ROLE} failed: ${(created.stderr || String(created.error)).trim()})`,
    );
  }
  const url = new URL(target.url);
  url.username = TEST_ROLE;
  url.password = password;
  url.pathname = '/postgres';
  // The password goes through the environment, never an argument another process could read.
  const login = spawnSync(
    'psql',
    [
      '-X',
      '-q',
      '-h',
      target.host,
      '-p',
      String(target.port),
      '-U',
      TEST_ROLE,
      '-d',
      'postgres',
      '-c',
      'select 1',
    ],
    { encoding: 'utf8', env: { ...process.env, PGPASSWORD: password, PGCONNECT_TIMEOUT: '5' } },
  );
  if (login.status !== 0) {
    throw new Error(
      `${pgLoginHint(target, auth)}\n(Role ${TEST_ROLE} exists now, but PostgreSQL does not let it log in at ` +
        `${hostPort(target)}: ${(login.stderr || String(login.error)).trim()}. Its pg_hba.conf needs a password rule for that address.)`,
    );
  }
  const previous = existsSync(envFile) ? readFileSync(envFile, 'utf8') : '';
  const kept = previous.split('\n').filter((line) => line !== '' && !line.startsWith('DATABASE_URL='));
  writeFileSync(
    envFile,
    [
      "# Written by scripts/services.mjs: the tests' own PostgreSQL role (never commit this file).",
      ...kept.filter((line) => !line.startsWith('# Written by scripts/services.mjs')),
      `DATABASE_URL=${url.toString()}`,
      '',
    ].join('\n'),
    { mode: 0o600 },
  );
  log(`[services] role ${TEST_ROLE} logs in; ${envFile} holds its DATABASE_URL (${maskUrl(url.toString())})`);
  return url.toString();
}

/** What to run when PostgreSQL refuses the test role: nothing here changes its authentication. */
function pgLoginHint(target, auth) {
  const user = target.username || 'postgres';
  const port = target.port;
  const why = auth.status === 'password' ? 'wants a password' : `refuses it (${auth.message ?? 'rejected'})`;
  return [
    `PostgreSQL at ${hostPort(target)} ${why} for role "${user}". scripts/services.mjs never changes pg_hba.conf;`,
    'give the tests a role of their own (it creates and drops one database per test file), then run npm test again:',
    '',
    `  PASSWORD=$(node -e "console.log(require('crypto').randomBytes(18).toString('base64url'))")`,
    `  sudo -u postgres psql -p ${port} -c "CREATE ROLE app_test LOGIN CREATEDB PASSWORD '$PASSWORD'"`,
    `  echo "DATABASE_URL=postgres://app_test:$PASSWORD@127.0.0.1:${port}/postgres" >> .env.test`,
    '',
    'or start PostgreSQL, Redis and a mail catcher with Docker: docker compose up -d --wait',
  ].join('\n');
}

async function startPostgres(target, log) {
  if (!isRoot()) throw new Error(`${pgHint(target)} (Not running as root, so not starting it myself.)`);

  if (!pgInstalled()) {
    if (!which('apt-get'))
      throw new Error(`${pgHint(target)} (PostgreSQL is not installed and apt-get is not available.)`);
    log('[services] PostgreSQL is not installed; installing the Debian package postgresql');
    if (!aptInstall(['postgresql'], log) || !pgInstalled()) {
      throw new Error(`${pgHint(target)} (Installing postgresql with apt-get failed.)`);
    }
    // The package's postinst may already have started the cluster.
    const probe = await probePostgres(target);
    if (probe.up) return ensurePgLogin(target, log);
  }

  let cluster = findPgCluster(target.port);
  if (!cluster) {
    const version = installedPgVersions()[0];
    if (!version || !which('pg_createcluster'))
      throw new Error(`${pgHint(target)} (No PostgreSQL cluster found.)`);
    log(`[services] no PostgreSQL cluster configured; creating ${version}/main on port ${target.port}`);
    const c = run('pg_createcluster', [version, 'main', '--port', String(target.port)], { log });
    if (!c.ok) throw new Error(`${pgHint(target)} (pg_createcluster ${version} main failed.)`);
    cluster = { version, name: 'main', port: target.port, status: 'down' };
  }

  log(`[services] starting PostgreSQL cluster ${cluster.version}/${cluster.name}`);
  const s = run('pg_ctlcluster', ['--skip-systemctl-redirect', cluster.version, cluster.name, 'start'], {
    log,
  });
  if (!s.ok)
    log(`[services] pg_ctlcluster start exited with ${s.status ?? s.error}; waiting for the server anyway`);

  const ready = await waitFor(() => probePostgres(target));
  if (!ready.up) {
    const logFile = `/var/log/postgresql/postgresql-${cluster.version}-${cluster.name}.log`;
    const lines = tail(logFile);
    throw new Error(
      `${pgHint(target)} (Started cluster ${cluster.version}/${cluster.name} but it did not answer within ` +
        `${READY_TIMEOUT_MS / 1000}s: ${ready.reason}.)${lines ? `\nLast lines of ${logFile}:\n${lines}` : ''}`,
    );
  }
  return ensurePgLogin(target, log);
}

// ---------------------------------------------------------------------------
// Redis

const REDIS_DIR = '/var/lib/redis';
const REDIS_LOG_DIR = '/var/log/redis';
const REDIS_LOG = `${REDIS_LOG_DIR}/ci.log`;

function redisArgs(port) {
  return [
    '--daemonize',
    'yes',
    '--bind',
    '127.0.0.1',
    '-::1',
    '--port',
    String(port),
    '--save',
    '',
    '--appendonly',
    'no',
    '--dir',
    REDIS_DIR,
    '--logfile',
    REDIS_LOG,
    '--pidfile',
    `/var/run/redis_${port}.pid`,
  ];
}

function redisHint(target) {
  const cmd = ['redis-server', ...redisArgs(target.port)].map((a) => (a === '' ? '""' : a)).join(' ');
  return `Redis is not reachable at ${hostPort(target)}. Start it (Debian: apt-get install redis-server && ${cmd}) or set REDIS_URL.`;
}

async function startRedis(target, log) {
  if (!isRoot()) throw new Error(`${redisHint(target)} (Not running as root, so not starting it myself.)`);

  if (!which('redis-server')) {
    if (!which('apt-get'))
      throw new Error(`${redisHint(target)} (redis-server is not installed and apt-get is not available.)`);
    log('[services] Redis is not installed; installing the Debian package redis-server');
    if (!aptInstall(['redis-server'], log) || !which('redis-server')) {
      throw new Error(`${redisHint(target)} (Installing redis-server with apt-get failed.)`);
    }
    if ((await probeRedis(target)).up) return; // postinst may have started it
  }

  for (const dir of [REDIS_DIR, REDIS_LOG_DIR]) mkdirSync(dir, { recursive: true });
  log(`[services] starting redis-server on 127.0.0.1:${target.port}`);
  const s = run('redis-server', redisArgs(target.port), { log });
  if (!s.ok) throw new Error(`${redisHint(target)} (redis-server exited with ${s.status ?? s.error}.)`);

  const ready = await waitFor(() => probeRedis(target));
  if (!ready.up) {
    const lines = tail(REDIS_LOG);
    throw new Error(
      `${redisHint(target)} (Started redis-server but it did not answer within ${READY_TIMEOUT_MS / 1000}s: ` +
        `${ready.reason}.)${lines ? `\nLast lines of ${REDIS_LOG}:\n${lines}` : ''}`,
    );
  }
}

// ---------------------------------------------------------------------------
// Orchestration

const SERVICES = {
  postgres: {
    label: 'PostgreSQL',
    envName: 'DATABASE_URL',
    parse: parsePostgresUrl,
    probe: probePostgres,
    start: startPostgres,
    pkg: 'postgresql',
    installed: pgInstalled,
  },
  redis: {
    label: 'Redis',
    envName: 'REDIS_URL',
    parse: parseRedisUrl,
    probe: probeRedis,
    start: startRedis,
    pkg: 'redis-server',
    installed: () => Boolean(which('redis-server')),
  },
};

function resolveTargets({ databaseUrl, redisUrl, env = process.env } = {}) {
  const pick = (arg, envValue, fallback) => {
    if (arg) return { url: arg, explicit: true };
    if (envValue) return { url: envValue, explicit: true };
    return { url: fallback, explicit: false };
  };
  return {
    postgres: pick(databaseUrl, env.DATABASE_URL, DEFAULT_DATABASE_URL),
    redis: pick(redisUrl, env.REDIS_URL, DEFAULT_REDIS_URL),
  };
}

/**
 * Ensures one service is reachable. `explicit` means the URL came from the
 * caller/environment: then it is only probed, never started.
 */
async function ensureOne(kind, { url, explicit }, log) {
  const svc = SERVICES[kind];
  const target = svc.parse(url);
  const probe = await svc.probe(target);
  if (probe.up) {
    // The default role must be able to log in, else the tests get a role of their own (`ensurePgLogin`).
    const usable = kind === 'postgres' && !explicit ? await ensurePgLogin(target, log) : target.url;
    log(`[services] ${svc.label} is up at ${hostPort(target)}`);
    return { up: true, started: false, target: target.display, url: usable };
  }
  if (explicit) {
    throw new Error(
      `${svc.label} is not reachable at ${target.display} (${svc.envName}; ${probe.reason}). ` +
        `${svc.envName} is set explicitly, so nothing is started: start that server or unset ${svc.envName} ` +
        'to use a local default instance.',
    );
  }
  if (probe.reachable) {
    throw new Error(
      `Something is listening on ${hostPort(target)} but it is not a usable ${svc.label} (${probe.reason}). ` +
        `Stop it or set ${svc.envName}.`,
    );
  }
  log(
    `[services] ${svc.label} is not reachable at ${hostPort(target)} (${probe.reason}); trying to start it`,
  );
  const usable = (await svc.start(target, log)) ?? target.url;
  log(`[services] ${svc.label} is up at ${hostPort(target)}`);
  return { up: true, started: true, target: target.display, url: usable };
}

/** Lower-level entry points (also handy for tests on non-default ports). */
export const ensurePostgres = ({ url = DEFAULT_DATABASE_URL, explicit = false, log = defaultLog } = {}) =>
  ensureOne('postgres', { url, explicit }, log);
export const ensureRedis = ({ url = DEFAULT_REDIS_URL, explicit = false, log = defaultLog } = {}) =>
  ensureOne('redis', { url, explicit }, log);

/**
 * Makes sure PostgreSQL and Redis are reachable. `databaseUrl` / `redisUrl`
 * (or DATABASE_URL / REDIS_URL) count as explicit: they are probed but nothing
 * is started for them. Without them the local defaults are used and started
 * (installed first if needed, when root on Debian). Throws an Error whose
 * message says what to do when a service cannot be made available.
 */
export async function ensureServices({ databaseUrl, redisUrl, log = defaultLog, env = process.env } = {}) {
  const targets = resolveTargets({ databaseUrl, redisUrl, env });

  // Probe both first so that a missing pair of packages is installed with one apt-get run.
  const probes = {};
  for (const kind of Object.keys(SERVICES)) {
    const { url, explicit } = targets[kind];
    const svc = SERVICES[kind];
    const probe = await svc.probe(svc.parse(url));
    probes[kind] = probe;
    if (!probe.up && !explicit && !probe.reachable && isRoot() && !svc.installed())
      probes[kind].needsInstall = true;
  }
  const toInstall = Object.keys(SERVICES).filter((k) => probes[k].needsInstall);
  if (toInstall.length > 1 && which('apt-get')) {
    log(`[services] installing ${toInstall.map((k) => SERVICES[k].pkg).join(' and ')} with apt-get`);
    aptInstall(
      toInstall.map((k) => SERVICES[k].pkg),
      log,
    ); // failures are reported per service below
  }

  const results = {};
  const errors = [];
  for (const kind of Object.keys(SERVICES)) {
    try {
      results[kind] = await ensureOne(kind, targets[kind], log);
    } catch (err) {
      results[kind] = { up: false, error: err.message };
      errors.push(err.message);
    }
  }
  if (errors.length) {
    const err = new Error(errors.join('\n'));
    err.results = results;
    throw err;
  }
  return results;
}

export async function servicesStatus({ databaseUrl, redisUrl, log = defaultLog, env = process.env } = {}) {
  const targets = resolveTargets({ databaseUrl, redisUrl, env });
  const results = {};
  for (const kind of Object.keys(SERVICES)) {
    const svc = SERVICES[kind];
    let target;
    try {
      target = svc.parse(targets[kind].url);
    } catch (err) {
      log(`[services] ${svc.label}: ${err.message}`);
      results[kind] = { up: false, error: err.message };
      continue;
    }
    const probe = await svc.probe(target);
    results[kind] = { up: probe.up, target: target.display, reason: probe.reason };
    log(
      `[services] ${svc.label} ${probe.up ? 'up' : 'DOWN'} at ${target.display}${probe.up ? '' : ` (${probe.reason})`}`,
    );
  }
  return results;
}

// ---------------------------------------------------------------------------
// CLI

async function main(argv) {
  const cmd = argv[0] ?? 'start';
  if (cmd === 'status') {
    const results = await servicesStatus();
    return Object.values(results).every((r) => r.up) ? 0 : 1;
  }
  if (cmd === 'start') {
    try {
      await ensureServices();
      return 0;
    } catch (err) {
      for (const line of String(err.message).split('\n')) console.error(`[services] ${line}`);
      return 1;
    }
  }
  console.error('Usage: node scripts/services.mjs [status|start]');
  return 2;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (err) => {
      console.error(`[services] ${err?.stack ?? err}`);
      process.exit(1);
    },
  );
}
