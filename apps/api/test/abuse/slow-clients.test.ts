import { connect, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestInstance, type TestInstance } from '../support/test-instance.js';

/** Resolves with what the server wrote once it closes the socket (or rejects after `withinMs`). */
function closed(socket: Socket, withinMs: number): Promise<{ data: string; afterMs: number }> {
  const started = Date.now();
  let data = '';
  socket.on('data', (chunk) => {
    data += chunk.toString();
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`socket still open after ${withinMs} ms`)), withinMs);
    socket.once('close', () => {
      clearTimeout(timer);
      resolve({ data, afterMs: Date.now() - started });
    });
    socket.on('error', () => undefined);
  });
}

function open(url: string): Promise<Socket> {
  const { port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), '127.0.0.1', () => resolve(socket));
    socket.once('error', reject);
  });
}

describe('slow clients cannot hold the server', () => {
  let api: TestInstance;

  beforeAll(async () => {
    api = await createTestInstance('embedded', {
      HTTP_HEADERS_TIMEOUT_MS: '1000',
      HTTP_REQUEST_TIMEOUT_MS: '3000',
      HTTP_BODY_TIMEOUT_MS: '1000',
      HTTP_KEEP_ALIVE_TIMEOUT_MS: '500',
      HTTP_MAX_CONNECTIONS_PER_IP: '20',
    });
  });
  afterAll(async () => {
    await api?.close();
  });

  it('closes a slowloris socket (headers never finished) within the header timeout', async () => {
    const socket = await open(api.url);
    socket.write('POST /graphql HTTP/1.1\r\nHost: x\r\n');
    const drip = setInterval(() => socket.writable && socket.write('X-a: b\r\n'), 200);
    try {
      const result = await closed(socket, 5_000);
      // Node answers 408 to a request whose headers did not arrive in time, then closes.
      expect(result.data).toMatch(/^HTTP\/1\.1 408/);
    } finally {
      clearInterval(drip);
    }
  });

  it('closes a socket that never sends a byte', async () => {
    const socket = await open(api.url);
    const result = await closed(socket, 5_000);
    expect(result.data).toBe('');
  });

  it('cuts off a body trickled byte by byte with 408', async () => {
    const socket = await open(api.url);
    const body = JSON.stringify({ query: '{ __typename }' });
    socket.write(
      `POST /graphql HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n`,
    );
    let sent = 0;
    const drip = setInterval(() => {
      if (sent < body.length && socket.writable) socket.write(body[sent++]!);
    }, 150);
    try {
      const result = await closed(socket, 5_000);
      expect(result.data).toMatch(/^HTTP\/1\.1 408/);
      expect(result.data).toContain('REQUEST_TIMEOUT');
      expect(sent).toBeLessThan(body.length);
    } finally {
      clearInterval(drip);
    }
  });

  it('closes idle keep-alive sockets and refuses connections past the per-client cap', async () => {
    const idle = await open(api.url);
    idle.write('GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n');
    const result = await closed(idle, 5_000);
    expect(result.data).toMatch(/^HTTP\/1\.1 200/);

    const sockets = await Promise.all(Array.from({ length: 25 }, () => open(api.url)));
    const outcomes = await Promise.all(
      sockets.map(
        (socket) =>
          new Promise<'closed' | 'open'>((resolve) => {
            const timer = setTimeout(() => resolve('open'), 300);
            socket.once('close', () => {
              clearTimeout(timer);
              resolve('closed');
            });
            socket.on('error', () => undefined);
          }),
      ),
    );
    expect(outcomes.filter((outcome) => outcome === 'open')).toHaveLength(20);
    for (const socket of sockets) socket.destroy();
    // Once they are gone, the client may connect again.
    await new Promise((resolve) => setTimeout(resolve, 100));
    const again = await fetch(`${api.url}/healthz`);
    expect(again.status).toBe(200);
  });
});
