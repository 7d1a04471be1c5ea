import type { RateLimits } from './rate-limits.js';

declare module '../base/graphql-context.js' {
  interface ContextServices {
    /** Checked before limited mutations run (graphql/rate-limited-fields.ts). */
    rateLimits: RateLimits;
  }
}
