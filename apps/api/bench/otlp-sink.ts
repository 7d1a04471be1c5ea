// An OTLP/HTTP collector stand-in on loopback for the tracing benches: it accepts and discards every
// export and counts them, so "tracing on" provably exported something.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface OtlpSink {
  /** The base URL to hand the server as OTEL_EXPORTER_OTLP_ENDPOINT. */
  endpoint: string;
  /** Export requests received so far. */
  exports(): number;
  close(): void;
}

export async function startOtlpSink(): Promise<OtlpSink> {
  let exports = 0;
  const collector = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      exports++;
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((done) => collector.listen(0, '127.0.0.1', done));
  return {
    endpoint: `http://127.0.0.1:${(collector.address() as AddressInfo).port}`,
    exports: () => exports,
    close: () => collector.close(),
  };
}
