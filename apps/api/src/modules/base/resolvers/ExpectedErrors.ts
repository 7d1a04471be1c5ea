import { GraphQLError, GraphQLScalarType } from 'graphql';

/** Output-only JSON scalar: `errors` of mutations. Never accepted as input. */
export const ExpectedErrors = new GraphQLScalarType({
  name: 'ExpectedErrors',
  serialize: (value) => value,
  parseValue: () => {
    throw new GraphQLError('ExpectedErrors is an output type.');
  },
  parseLiteral: () => {
    throw new GraphQLError('ExpectedErrors is an output type.');
  },
});
