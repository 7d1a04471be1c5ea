/**
 * One benchmark server for `compare-me.bench.ts`, run from the tree being measured (it only uses
 * `bench-kit.ts` and APIs older trees have too, so a copy runs in a checkout of an earlier commit):
 * the real app on a throw-away database and Redis prefix, one user with a session, and one JSON line
 * on stdout with the URL and an access token. SERVE_ENV (JSON) adds settings, such as
 * OTEL_EXPORTER_OTLP_ENDPOINT. SIGTERM removes everything it made.
 */
import { randomBytes } from 'node:crypto';
import { User } from '../src/modules/users/user.entity.js';
import { startBenchServer } from './bench-kit.js';

const env = JSON.parse(process.env.SERVE_ENV ?? '{}') as Record<string, string>;
const server = await startBenchServer('redis', env);
const em = server.services.db.orm.em.fork();
const user = Object.assign(new User(), {
  username: `bench${randomBytes(4).toString('hex')}`,
  email: `bench${randomBytes(4).toString('hex')}@example.com`,
  dateJoined: new Date(),
});
await em.persistAndFlush(user);
const refresh = await server.services.refreshTokens.issue(user.id, { userAgent: 'bench', ip: '127.0.0.1' });
const { token } = await server.services.accessTokens.sign(user, { sid: refresh.familyId });
// Older trees have no tracer at all: absent reads as off.
const tracing = ((server.services as { tracer?: unknown }).tracer ?? null) !== null;
process.stdout.write(`${JSON.stringify({ url: server.url, token, tracing })}\n`);

let closing = false;
process.on('SIGTERM', () => {
  if (closing) return;
  closing = true;
  void server.close().finally(() => process.exit(0));
});
