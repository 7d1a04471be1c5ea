import type { AccountService } from './account.service.js';

declare module '../base/graphql-context.js' {
  interface ContextServices {
    account: AccountService;
  }
}
