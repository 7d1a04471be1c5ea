/**
 * Slow clients: 300 idle sockets, slowloris (headers dripped), bodies trickled byte by byte. The
 * attacker connects from 127.0.0.2 (still loopback), so the per-client connection cap meets it while
 * a well-behaved client on 127.0.0.1 measures how the server answers meanwhile. Survived: every
 * attacking socket is closed (or refused) by its deadline and the other client is served.
 */
import { connect, type Socket } from 'node:net';
import { type Drill, round } from './drill-kit.js';
import type { DrillServer } from './drill-server.js';

const ATTACKER = '127.0.0.2';

function attackerSocket(server: DrillServer): Promise<Socket | null> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port: server.port, localAddress: ATTACKER });
    socket.once('connect', () => resolve(socket));
    socket.once('error', () => resolve(null));
    socket.on('error', () => undefined);
  });
}

/** Resolves with the time from now until the socket is closed, or null at the deadline. */
function closeTime(socket: Socket, deadlineMs: number): Promise<number | null> {
  const started = performance.now();
  if (socket.destroyed) return Promise.resolve(0);
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(null), deadlineMs);
    socket.once('close', () => {
      clearTimeout(timer);
      resolve(performance.now() - started);
    });
  });
}

async function legitimateLatency(server: DrillServer): Promise<number> {
  const started = performance.now();
  const response = await fetch(server.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query: '{ me { id } }' }),
  });
  await response.text();
  return response.ok ? performance.now() - started : Number.POSITIVE_INFINITY;
}

export function slowClientsDrill(limits: { headersTimeoutMs: number; bodyTimeoutMs: number }): Drill {
  return async (server) => {
    const slack = 2_500; // Node checks timeouts once a second; closing takes a moment more.
    const notes: string[] = [];
    const losses: string[] = [];
    let tried = 0;
    let survived = 0;
    const record = (ok: boolean, name: string, detail: string) => {
      tried++;
      notes.push(`${name}: ${detail}`);
      if (ok) survived++;
      else losses.push(`${name}: ${detail}`);
    };

    // 1. 300 idle sockets.
    const idle = await Promise.all(Array.from({ length: 300 }, () => attackerSocket(server)));
    await new Promise((resolve) => setTimeout(resolve, 200));
    const refused = idle.filter((socket) => socket === null || socket.destroyed).length;
    const during = await legitimateLatency(server);
    const times = await Promise.all(
      idle
        .filter((socket): socket is Socket => socket !== null)
        .map((socket) => closeTime(socket, limits.headersTimeoutMs + slack)),
    );
    const stillOpen = times.filter((time) => time === null).length;
    for (const socket of idle) socket?.destroy();
    record(
      stillOpen === 0 && Number.isFinite(during),
      '300 idle sockets',
      `${refused} refused at once (per-client cap), ${300 - refused - stillOpen} closed by the server, ${stillOpen} still open after ${limits.headersTimeoutMs + slack} ms; another client's request meanwhile ${round(during)} ms`,
    );

    // 2. Slowloris: 50 sockets dripping header lines.
    const loris = (await Promise.all(Array.from({ length: 50 }, () => attackerSocket(server)))).filter(
      (socket): socket is Socket => socket !== null,
    );
    for (const socket of loris) socket.write('POST /graphql HTTP/1.1\r\nHost: drill\r\n');
    const drip = setInterval(() => {
      for (const socket of loris) if (socket.writable) socket.write(`X-Drip: ${Date.now()}\r\n`);
    }, 300);
    const lorisTimes = await Promise.all(
      loris.map((socket) => closeTime(socket, limits.headersTimeoutMs + slack)),
    );
    clearInterval(drip);
    for (const socket of loris) socket.destroy();
    const lorisOpen = lorisTimes.filter((time) => time === null).length;
    const lorisMax = Math.max(0, ...lorisTimes.filter((time): time is number => time !== null));
    record(
      lorisOpen === 0,
      '50 slowloris sockets',
      `${loris.length - lorisOpen} closed (latest after ${round(lorisMax)} ms), ${lorisOpen} still open`,
    );

    // 3. Bodies trickled one byte every 200 ms.
    const body = JSON.stringify({ query: '{ __typename }', variables: { padding: 'x'.repeat(200) } });
    const tricklers = (await Promise.all(Array.from({ length: 10 }, () => attackerSocket(server)))).filter(
      (socket): socket is Socket => socket !== null,
    );
    for (const socket of tricklers) {
      socket.write(
        `POST /graphql HTTP/1.1\r\nHost: drill\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n`,
      );
    }
    let sent = 0;
    const trickle = setInterval(() => {
      for (const socket of tricklers) if (socket.writable) socket.write(body[sent] ?? '');
      sent++;
    }, 200);
    const trickleTimes = await Promise.all(
      tricklers.map((socket) => closeTime(socket, limits.bodyTimeoutMs + slack)),
    );
    clearInterval(trickle);
    for (const socket of tricklers) socket.destroy();
    const trickleOpen = trickleTimes.filter((time) => time === null).length;
    record(
      trickleOpen === 0,
      '10 trickled bodies',
      `${tricklers.length - trickleOpen} cut off after ${sent} of ${body.length} bytes, ${trickleOpen} still open`,
    );
    return { name: 'slow clients', tried, survived, lost: tried - survived, notes, losses };
  };
}
