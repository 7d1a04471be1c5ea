import { context, type Span, SpanStatusCode, type Tracer } from '@opentelemetry/api';
import type { SpanProcessor } from '@opentelemetry/sdk-trace';

export interface TracingSettings {
  /** OTEL_EXPORTER_OTLP_ENDPOINT (the collector's base URL); null: tracing is off. */
  otlpEndpoint: string | null;
  serviceName: string;
}

export interface Tracing {
  /** null when tracing is off: callers then install no wrapper at all, so it costs nothing. */
  tracer: Tracer | null;
  /** Flushes spans still queued and stops the exporter. */
  shutdown(): Promise<void>;
}

let contextManagerInstalled = false;

/**
 * Spans need the active span to follow async work (a resolver's SQL under its resolver): one
 * AsyncLocalStorage context manager for the process, installed the first time tracing is on.
 */
async function ensureContextManager(): Promise<void> {
  if (contextManagerInstalled) return;
  const { AsyncLocalStorageContextManager } = await import('@opentelemetry/context-async-hooks');
  if (contextManagerInstalled) return;
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  contextManagerInstalled = true;
}

/**
 * The tracer of this service: OTLP over HTTP when an endpoint is configured, the span processor
 * a test hands in (an in-memory exporter), or none. Not registered globally: nothing outside the
 * composition root picks it up by accident. The SDK and the exporter are loaded only when tracing
 * is on: a quarter of a second of start-up that a server without a collector never needs.
 */
export async function createTracing(
  settings: TracingSettings,
  spanProcessor?: SpanProcessor,
): Promise<Tracing> {
  if (!spanProcessor && settings.otlpEndpoint === null)
    return { tracer: null, shutdown: async () => undefined };
  const [{ BatchSpanProcessor, TracerProvider }, { resourceFromAttributes }] = await Promise.all([
    import('@opentelemetry/sdk-trace'),
    import('@opentelemetry/resources'),
  ]);
  const processor =
    spanProcessor ??
    new BatchSpanProcessor({
      exporter: new (await import('@opentelemetry/exporter-trace-otlp-http')).OTLPTraceExporter({
        url: `${(settings.otlpEndpoint ?? '').replace(/\/+$/, '')}/v1/traces`,
      }),
    });
  await ensureContextManager();
  const provider = new TracerProvider({
    resource: resourceFromAttributes({ 'service.name': settings.serviceName }),
    spanProcessors: [processor],
  });
  return { tracer: provider.getTracer('gql-auth-api'), shutdown: () => provider.shutdown() };
}

/**
 * Runs `work` in an active child span that ends when the work settles. A failure marks the span
 * with its error type only: messages may quote user input, so they stay out of the trace.
 */
export function inSpan<T>(
  tracer: Tracer,
  name: string,
  attributes: Record<string, string | number | boolean>,
  work: (span: Span) => Promise<T>,
): Promise<T> {
  return tracer.startActiveSpan(name, { attributes }, async (span) => {
    try {
      return await work(span);
    } catch (error) {
      markFailed(span, error);
      throw error;
    } finally {
      span.end();
    }
  });
}

/** Error status with the error's class name, never its message (it may quote input). */
export function markFailed(span: Span, error: unknown): void {
  span.setStatus({ code: SpanStatusCode.ERROR });
  span.setAttribute('error.type', error instanceof Error ? error.name : 'unknown');
}
