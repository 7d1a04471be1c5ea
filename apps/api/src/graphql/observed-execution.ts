import type { Tracer } from '@opentelemetry/api';
import {
  defaultFieldResolver,
  type ExecutionResult,
  execute,
  type GraphQLSchema,
  getOperationAST,
} from 'graphql';
import type { Metrics } from '../modules/metrics/metrics.js';
import { createOperationLabeller, operationOutcome } from '../modules/metrics/operation-label.js';
import { inSpan, markFailed } from '../modules/tracing/tracing.js';

const isPromise = <T>(value: T | Promise<T>): value is Promise<T> =>
  typeof (value as Promise<T> | null)?.then === 'function';

/**
 * graphql's `execute`, counted and timed by operation name and outcome, and (tracing on) run in a
 * span of its own. The document's text is never recorded: it may carry passwords as literals.
 */
export function observedExecute(
  schema: GraphQLSchema,
  metrics: Metrics,
  tracer: Tracer | null,
): typeof execute {
  const labelOf = createOperationLabeller(schema);
  return (args) => {
    const operation = getOperationAST(args.document, args.operationName);
    const labels = { operation: labelOf(operation), type: operation?.operation ?? 'query' };
    const stop = metrics.operationDuration.startTimer(labels);
    const finish = (result: ExecutionResult) => {
      const outcome = operationOutcome(result);
      stop({ outcome });
      metrics.operations.inc({ ...labels, outcome });
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
