import { createServer, type RequestListener, type Server } from 'node:http';
import type { Socket } from 'node:net';
import type { ServerLimits } from '../limits-config.js';
import { requestErrorBody } from '../modules/base/errors/request-errors.js';
import { negotiateLocale } from '../modules/base/locale.js';

/**
 * Slow clients cannot hold the server: Node's header and whole-request timeouts (slowloris), a
 * deadline for reading the body (a trickled body), keep-alive limits, and a cap on open connections
 * per client address (counted per socket's peer: proxies in front count as one client, and should
 * enforce their own).
 */
export function applyServerLimits(server: Server, limits: ServerLimits): void {
  server.headersTimeout = limits.headersTimeoutMs;
  server.requestTimeout = limits.requestTimeoutMs;
  server.keepAliveTimeout = limits.keepAliveTimeoutMs;
  server.maxRequestsPerSocket = limits.maxRequestsPerSocket;

  const perAddress = new Map<string, number>();
  const served = new WeakSet<Socket>();
  server.on('connection', (socket: Socket) => {
    const address = socket.remoteAddress ?? 'unknown';
    const open = (perAddress.get(address) ?? 0) + 1;
    if (open > limits.maxConnectionsPerIp) {
      socket.destroy();
      return;
    }
    perAddress.set(address, open);
    // Node's header timeout starts with the first byte: a socket that never sends one would stay.
    const silent = setTimeout(() => {
      if (!served.has(socket) && socket.bytesRead === 0) socket.destroy();
    }, limits.headersTimeoutMs);
    silent.unref();
    socket.once('close', () => {
      clearTimeout(silent);
      const left = (perAddress.get(address) ?? 1) - 1;
      if (left <= 0) perAddress.delete(address);
      else perAddress.set(address, left);
    });
  });

  // The body of a request must arrive within its own deadline once the headers are in, however
  // slowly each byte trickles (requestTimeout alone would allow the whole request budget).
  server.on('request', (req, res) => {
    served.add(req.socket);
    if (req.complete) return;
    const timer = setTimeout(() => {
      if (req.complete) return;
      res.once('finish', () => req.socket.destroy());
      if (!res.headersSent) {
        res.writeHead(408, { 'content-type': 'application/json', connection: 'close' });
        res.end(
          JSON.stringify(
            requestErrorBody(
              'REQUEST_TIMEOUT',
              'Request body too slow.',
              negotiateLocale(req.headers['accept-language']),
            ),
          ),
        );
      } else req.socket.destroy();
    }, limits.bodyTimeoutMs);
    timer.unref();
    const clear = () => clearTimeout(timer);
    req.once('end', clear);
    req.once('close', clear);
  });
}

/**
 * Listens on `port`/`host` with the limits applied; resolves once listening. Node checks the header
 * and request timeouts every `connectionsCheckingInterval` (30 s by default): once a second here, so
 * a slow client is cut off close to its deadline.
 */
export function listenWithLimits(
  app: RequestListener,
  limits: ServerLimits,
  port: number,
  host: string,
): Promise<Server> {
  return new Promise<Server>((resolve, reject) => {
    const server = createServer({ connectionsCheckingInterval: 1_000 }, app);
    applyServerLimits(server, limits);
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve(server);
    });
  });
}
