import { Migration20261124000100Users } from './Migration20261124000100Users.js';
import { Migration20261124000200RefreshTokens } from './Migration20261124000200RefreshTokens.js';

/**
 * Every committed migration, in order. Listed explicitly (not globbed) so the same list works from
 * TypeScript sources, compiled output and tests. `pnpm db:migration:create` adds new files here.
 */
export const migrationsList = [
  { name: 'Migration20261124000100Users', class: Migration20261124000100Users },
  { name: 'Migration20261124000200RefreshTokens', class: Migration20261124000200RefreshTokens },
];
