import { connect, createServer, type Server, type Socket } from 'node:net';

/** What the proxy does to traffic between a client and the real service. */
export type ProxyMode =
  /** Forward everything. */
  | { kind: 'pass' }
  /** Close every open connection and refuse new ones (a crash, a restart, a closed port). */
  | { kind: 'cut' }
  /**
   * Accept connections but deliver nothing either way (a partition: packets vanish). What was
   * sent is held and delivered on restore, as TCP retransmission would once the network heals.
   */
  | { kind: 'blackhole' }
  /** Deliver every chunk `delayMs` late (an overloaded link or server). */
  | { kind: 'slow'; delayMs: number };

export interface TcpProxy {
  /** `127.0.0.1:<ephemeral port>`: point the client here instead of at the service. */
  host: string;
  port: number;
  /** Rewrites a service URL (postgres://, redis://, smtp://) to go through the proxy. */
  urlFor(serviceUrl: string): string;
  set(mode: ProxyMode): void;
  mode(): ProxyMode;
  /** Open client connections right now. */
  connections(): number;
  close(): Promise<void>;
}

interface Pair {
  client: Socket;
  upstream: Socket;
  held: Array<{ to: Socket; chunk: Buffer }>;
  /** Per direction, delayed chunks in order; one timer drains each queue, so nothing overtakes (TCP order). */
  queues: Map<Socket, { items: Array<{ due: number; chunk: Buffer }>; timer: NodeJS.Timeout | null }>;
}

/**
 * A TCP proxy on an ephemeral loopback port that a test or drill controls: cut, blackhole, slow
 * and restore the link to PostgreSQL, Redis or SMTP without touching the service itself.
 */
export async function startTcpProxy(target: { host: string; port: number }): Promise<TcpProxy> {
  let current: ProxyMode = { kind: 'pass' };
  const pairs = new Set<Pair>();

  function forward(pair: Pair, to: Socket, chunk: Buffer) {
    const mode = current;
    if (mode.kind === 'blackhole') {
      pair.held.push({ to, chunk });
      return;
    }
    if (mode.kind === 'cut') return;
    const queue = pair.queues.get(to) ?? { items: [], timer: null };
    pair.queues.set(to, queue);
    const delay = mode.kind === 'slow' ? mode.delayMs : 0;
    if (delay === 0 && queue.items.length === 0) {
      to.destroyed || to.write(chunk);
      return;
    }
    queue.items.push({ due: performance.now() + delay, chunk });
    drain(to, queue);
  }

  function drain(
    to: Socket,
    queue: { items: Array<{ due: number; chunk: Buffer }>; timer: NodeJS.Timeout | null },
  ) {
    if (queue.timer) return;
    const now = performance.now();
    while (queue.items.length > 0 && queue.items[0]!.due <= now) {
      const { chunk } = queue.items.shift()!;
      to.destroyed || to.write(chunk);
    }
    const next = queue.items[0];
    if (next) {
      queue.timer = setTimeout(() => {
        queue.timer = null;
        drain(to, queue);
      }, next.due - now);
    }
  }

  function drop(pair: Pair) {
    pair.client.destroy();
    pair.upstream.destroy();
    pairs.delete(pair);
  }

  const server: Server = createServer((client) => {
    if (current.kind === 'cut') {
      client.destroy();
      return;
    }
    const upstream = connect(target.port, target.host);
    const pair: Pair = { client, upstream, held: [], queues: new Map() };
    pairs.add(pair);
    client.on('data', (chunk) => forward(pair, upstream, chunk));
    upstream.on('data', (chunk) => forward(pair, client, chunk));
    // In a blackhole a closing side is not noticed either: the other end keeps waiting.
    const onEnd = () => current.kind !== 'blackhole' && drop(pair);
    client.on('close', onEnd);
    upstream.on('close', onEnd);
    client.on('error', () => drop(pair));
    upstream.on('error', () => drop(pair));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('proxy has no port');

  return {
    host: '127.0.0.1',
    port: address.port,
    urlFor(serviceUrl) {
      const url = new URL(serviceUrl);
      url.hostname = '127.0.0.1';
      url.port = String(address.port);
      return url.toString();
    },
    set(mode) {
      current = mode;
      if (mode.kind === 'cut') for (const pair of [...pairs]) drop(pair);
      if (mode.kind === 'pass' || mode.kind === 'slow') {
        for (const pair of pairs) {
          for (const { to, chunk } of pair.held.splice(0)) forward(pair, to, chunk);
        }
      }
    },
    mode: () => current,
    connections: () => pairs.size,
    async close() {
      for (const pair of [...pairs]) drop(pair);
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
