import { GraphQLError, GraphQLScalarType, Kind, type ValueNode } from 'graphql';

/** Output-only JSON scalar: `errors` of mutations. Never accepted as input. */
export const ExpectedErrorsScalar = new GraphQLScalarType({
  name: 'ExpectedErrors',
  serialize: (value) => value,
  parseValue: () => {
    throw new GraphQLError('ExpectedErrors is an output type.');
  },
  parseLiteral: () => {
    throw new GraphQLError('ExpectedErrors is an output type.');
  },
});

function literalToJson(node: ValueNode): unknown {
  switch (node.kind) {
    case Kind.STRING:
    case Kind.BOOLEAN:
      return node.value;
    case Kind.INT:
    case Kind.FLOAT:
      return Number(node.value);
    case Kind.OBJECT:
      return Object.fromEntries(node.fields.map((field) => [field.name.value, literalToJson(field.value)]));
    case Kind.LIST:
      return node.values.map(literalToJson);
    case Kind.NULL:
      return null;
    default:
      throw new GraphQLError('Variables are not allowed inside GenericScalar literals.');
  }
}

/** Any JSON value (graphene's GenericScalar): JWT payloads. */
export const GenericScalar = new GraphQLScalarType({
  name: 'GenericScalar',
  serialize: (value) => value,
  parseValue: (value) => value,
  parseLiteral: literalToJson,
});

/** ISO-8601 instants in UTC. */
export const DateTimeScalar = new GraphQLScalarType({
  name: 'DateTime',
  serialize(value) {
    const date = value instanceof Date ? value : new Date(String(value));
    if (Number.isNaN(date.getTime())) throw new GraphQLError('DateTime cannot represent an invalid date.');
    return date.toISOString();
  },
  parseValue(value) {
    const date = new Date(String(value));
    if (typeof value !== 'string' || Number.isNaN(date.getTime())) {
      throw new GraphQLError('DateTime must be an ISO-8601 string.');
    }
    return date.toISOString();
  },
  parseLiteral(node) {
    if (node.kind !== Kind.STRING || Number.isNaN(new Date(node.value).getTime())) {
      throw new GraphQLError('DateTime must be an ISO-8601 string.');
    }
    return new Date(node.value).toISOString();
  },
});
