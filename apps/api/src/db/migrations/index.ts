import { Migration20261124000100Users } from './Migration20261124000100Users.js';
import { Migration20261124000200RefreshTokens } from './Migration20261124000200RefreshTokens.js';
import { Migration20261124000300AccountLifecycle } from './Migration20261124000300AccountLifecycle.js';
import { Migration20261124000400Tokens } from './Migration20261124000400Tokens.js';
import { Migration20261124000500Permissions } from './Migration20261124000500Permissions.js';
import { Migration20261124000510Audit } from './Migration20261124000510Audit.js';
import { Migration20261202000100AuditRetention } from './Migration20261202000100AuditRetention.js';
import { Migration20261202000100DjangoImport } from './Migration20261202000100DjangoImport.js';
import { Migration20261202000200UserLanguage } from './Migration20261202000200UserLanguage.js';
import { Migration20261202000300RefreshTokenNamesFamily } from './Migration20261202000300RefreshTokenNamesFamily.js';

/**
 * Every committed migration, in order. Listed explicitly (not globbed) so the same list works from
 * TypeScript sources, compiled output and tests. `pnpm db:migration:create` adds new files here.
 */
export const migrationsList = [
  { name: 'Migration20261124000100Users', class: Migration20261124000100Users },
  { name: 'Migration20261124000200RefreshTokens', class: Migration20261124000200RefreshTokens },
  { name: 'Migration20261124000300AccountLifecycle', class: Migration20261124000300AccountLifecycle },
  { name: 'Migration20261124000400Tokens', class: Migration20261124000400Tokens },
  { name: 'Migration20261124000500Permissions', class: Migration20261124000500Permissions },
  { name: 'Migration20261124000510Audit', class: Migration20261124000510Audit },
  { name: 'Migration20261202000100DjangoImport', class: Migration20261202000100DjangoImport },
  { name: 'Migration20261202000100AuditRetention', class: Migration20261202000100AuditRetention },
  { name: 'Migration20261202000200UserLanguage', class: Migration20261202000200UserLanguage },
  {
    name: 'Migration20261202000300RefreshTokenNamesFamily',
    class: Migration20261202000300RefreshTokenNamesFamily,
  },
];
