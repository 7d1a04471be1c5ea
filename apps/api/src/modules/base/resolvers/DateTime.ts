import { GraphQLError, GraphQLScalarType, Kind } from 'graphql';

/** ISO-8601 instants in UTC. */
export const DateTime = new GraphQLScalarType({
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
