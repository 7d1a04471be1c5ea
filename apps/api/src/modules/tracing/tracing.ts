import { context, type Span, SpanStatusCode, type Tracer } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchSpanProcessor, type SpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';

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
function ensureContextManager(): void {
  if (contextManagerInstalled) return;
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  contextManagerInstalled = true;
}

/**
 * The tracer of this service: OTLP over HTTP when an endpoint is configured, the span processor
 * a test hands in (an in-memory exporter), or none. Not registered globally: nothing outside the
 * composition root picks it up by accident.
 */
export function createTracing(settings: TracingSettings, spanProcessor?: SpanProcessor): Tracing {
  const processor =
    spanProcessor ??
    (settings.otlpEndpoint === null
      ? null
      : new BatchSpanProcessor({
          exporter: new OTLPTraceExporter({ url: `${settings.otlpEndpoint.replace(/\/+$/, '')}/v1/traces` }),
        }));
  if (processor === null) return { tracer: null, shutdown: async () => undefined };
  ensureContextManager();
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
