import type { Tracer } from '@opentelemetry/api';
import {
  defaultFieldResolver,
  type ExecutionResult,
  execute,
  type GraphQLSchema,
  getOperationAST,
} from 'graphql';
import type { Metrics } from '../modules/metrics/metrics.js';
import {
  createOperationLabeller,
  createOperationNamer,
  operationOutcome,
} from '../modules/metrics/operation-label.js';
import { inSpan, markFailed } from '../modules/tracing/tracing.js';

const isPromise = <T>(value: T | Promise<T>): value is Promise<T> =>
  typeof (value as Promise<T> | null)?.then === 'function';

/**
 * graphql's `execute`, counted and timed by root field and outcome and by operation name and
 * outcome, and (tracing on) run in a span of its own. graphql-http calls it only for a document that
 * parsed and validated. The document's text is never recorded: it may carry passwords as literals.
 */
export function observedExecute(
  schema: GraphQLSchema,
  metrics: Metrics,
  tracer: Tracer | null,
  options: { operationNames: number },
): typeof execute {
  const labelOf = createOperationLabeller(schema);
  const nameOf = createOperationNamer(options.operationNames);
  return (args) => {
    const operation = getOperationAST(args.document, args.operationName);
    const type = operation?.operation ?? 'query';
    const labels = { operation: labelOf(operation), type };
    const named = { name: nameOf(operation), type };
    const started = performance.now();
    const finish = (result: ExecutionResult) => {
      const outcome = operationOutcome(result);
      const seconds = (performance.now() - started) / 1000;
      metrics.operationDuration.observe({ ...labels, outcome }, seconds);
      metrics.operations.inc({ ...labels, outcome });
      metrics.namedOperationDuration.observe({ ...named, outcome }, seconds);
      metrics.namedOperations.inc({ ...named, outcome });
      return result;
    };
    if (tracer === null) {
      const result = execute(args);
      return isPromise(result) ? result.then(finish) : finish(result);
    }
    return tracer.startActiveSpan(
      `graphql.${labels.type} ${labels.operation}`,
      { attributes: { 'graphql.operation.type': labels.type, 'graphql.operation.name': labels.operation } },
      async (span) => {
        try {
          const result = finish(await execute(args));
          if (result.errors?.length) markFailed(span, new Error('GraphQLError'));
          span.setAttribute('graphql.outcome', operationOutcome(result));
          return result;
        } finally {
          span.end();
        }
      },
    );
  };
}

/** Wraps each Query and Mutation field's resolver in a span (tracing on only; arguments unrecorded). */
export function traceRootResolvers(schema: GraphQLSchema, tracer: Tracer): GraphQLSchema {
  for (const type of [schema.getQueryType(), schema.getMutationType()]) {
    if (!type) continue;
    for (const field of Object.values(type.getFields())) {
      const resolve = field.resolve ?? defaultFieldResolver;
      field.resolve = (source, args, context, info) =>
        inSpan(
          tracer,
          `graphql.resolve ${info.fieldName}`,
          { 'graphql.field.name': info.fieldName },
          async () => resolve(source, args, context, info),
        );
    }
  }
  return schema;
}
