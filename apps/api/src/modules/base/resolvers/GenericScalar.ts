import { GraphQLError, GraphQLScalarType, Kind, type ValueNode } from 'graphql';

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
