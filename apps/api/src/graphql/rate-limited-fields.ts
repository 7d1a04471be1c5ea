import { defaultFieldResolver, type GraphQLFieldResolver, type GraphQLSchema } from 'graphql';
import { rateLimited } from '../modules/base/errors/expected-errors.js';
import type { GraphQLContext } from '../modules/base/graphql-context.js';
import type { Verdict } from '../modules/rate-limit/rate-limits.js';

type Args = Record<string, unknown>;
type Check = (context: GraphQLContext, args: Args) => Promise<Verdict>;

const text = (value: unknown) => (typeof value === 'string' ? value : '');

/**
 * Mutations limited before they run, by the client's address and, for mail, by the recipient. The
 * recipient counts whether or not an account has it, so a refusal tells nothing about accounts.
 * Sign-in has richer rules (progressive delay, reset on success) and lives in the auth service.
 */
const LIMITED_MUTATIONS: Record<string, Check> = {
  register: ({ services, request }) => services.rateLimits.register(request.ip),
  resendActivationEmail: ({ services, request }, args) =>
    services.rateLimits.mail(text(args.email), request.ip),
  sendPasswordResetEmail: ({ services, request }, args) =>
    services.rateLimits.mail(text(args.email), request.ip),
  sendSecondaryEmailActivation: ({ services, request }, args) =>
    services.rateLimits.mail(text(args.email), request.ip),
  refreshToken: ({ services, request }) => services.rateLimits.refresh(request.ip),
  verifyToken: ({ services, request }) => services.rateLimits.verifyToken(request.ip),
};

/** Wraps the limited mutations' resolvers (outside the access guards) to answer `rate_limited`. */
export function applyFieldRateLimits(schema: GraphQLSchema): GraphQLSchema {
  const fields = schema.getMutationType()?.getFields() ?? {};
  for (const [name, check] of Object.entries(LIMITED_MUTATIONS)) {
    const field = fields[name];
    if (!field) throw new Error(`rate limit for unknown mutation ${name}`);
    const resolve = (field.resolve ?? defaultFieldResolver) as GraphQLFieldResolver<unknown, GraphQLContext>;
    field.resolve = async (source, args, context: GraphQLContext, info) => {
      const verdict = await check(context, args);
      if (!verdict.allowed) return rateLimited(verdict.retryAfterSeconds);
      return resolve(source, args, context, info);
    };
  }
  return schema;
}
