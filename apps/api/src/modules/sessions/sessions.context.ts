import type { SessionsService } from './sessions.service.js';

declare module '../base/graphql-context.js' {
  interface ContextServices {
    sessions: SessionsService;
  }
}
