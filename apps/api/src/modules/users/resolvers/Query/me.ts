import type { QueryResolvers } from '../../../../__generated__/resolvers-types.generated.js';

/** Anyone may ask; anonymous requests (or bad/expired tokens) get null. */
export const me: QueryResolvers['me'] = (_parent, _args, { viewer }) => viewer();
