import type { TokenService } from './token.service.js';

declare module '../base/graphql-context.js' {
  interface ContextServices {
    tokens: TokenService;
  }
}
