import type { AccessTokenClaims } from './access-tokens.js';
import type { AuthService } from './auth.service.js';

declare module '../base/graphql-context.js' {
  interface ContextExtensions {
    /** Verified claims of the request's access token (e.g. `sid`, the current session), or null. */
    accessClaims(): Promise<AccessTokenClaims | null>;
  }
  interface ContextServices {
    auth: AuthService;
  }
}
