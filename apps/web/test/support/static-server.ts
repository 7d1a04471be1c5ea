import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize } from 'node:path';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json',
  '.svg': 'image/svg+xml',
};

export interface StaticServer {
  url: string;
  /** operationName of every GraphQL request forwarded, in order (to count refreshes). */
  operations: string[];
  /** Where `/graphql` goes; set once the API is up (the API needs our URL for its email links first). */
  setApiUrl(url: string): void;
  close(): Promise<void>;
}

/**
 * Serves the built app (unknown paths get index.html: the app routes on the client) and forwards
 * `/graphql` to the API, headers and cookies included, so the browser sees a single origin as in
 * production behind a reverse proxy.
 */
export async function startStaticServer(root: string): Promise<StaticServer> {
  let apiUrl: string | null = null;
  const operations: string[] = [];
  const server = createServer((req, res) => {
    const handle = req.url?.startsWith('/graphql') ? proxy(req, res) : serveFile(req, res);
    handle.catch((error: unknown) => {
      res.statusCode = 502;
      res.end(String(error));
    });
  });

  async function proxy(req: IncomingMessage, res: ServerResponse) {
    if (!apiUrl) throw new Error('API not started');
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    if (req.method === 'POST') operations.push(operationName(Buffer.concat(chunks)));
    const headers = new Headers();
    for (const [name, value] of Object.entries(req.headers)) {
      if (typeof value === 'string' && !['host', 'connection', 'content-length'].includes(name))
        headers.set(name, value);
    }
    const upstream = await fetch(`${apiUrl}${req.url}`, {
      method: req.method ?? 'GET',
      headers,
      ...(req.method === 'POST' ? { body: Buffer.concat(chunks) } : {}),
    });
    res.statusCode = upstream.status;
    upstream.headers.forEach((value, name) => {
      if (!['content-encoding', 'content-length', 'transfer-encoding', 'set-cookie'].includes(name))
        res.setHeader(name, value);
    });
    const cookies = upstream.headers.getSetCookie();
    if (cookies.length > 0) res.setHeader('set-cookie', cookies);
    res.end(Buffer.from(await upstream.arrayBuffer()));
  }

  async function serveFile(req: IncomingMessage, res: ServerResponse) {
    const path = normalize(decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname)).replace(
      /^(\.\.[/\\])+/,
      '',
    );
    let file = join(root, path);
    let body = await readFile(file).catch(() => null);
    if (!body || !extname(file)) {
      file = join(root, 'index.html');
      body = await readFile(file);
    }
    res.setHeader('content-type', TYPES[extname(file)] ?? 'application/octet-stream');
    res.end(body);
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    operations,
    setApiUrl(url) {
      apiUrl = url;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function operationName(body: Buffer): string {
  try {
    return String((JSON.parse(body.toString('utf8')) as { operationName?: unknown }).operationName);
  } catch {
    return '?';
  }
}
