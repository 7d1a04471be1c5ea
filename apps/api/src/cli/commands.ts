import { auditPrune } from './audit-prune.command.js';
import { cleartokens } from './cleartokens.command.js';
import type { Command } from './command.js';
import { createsuperuser } from './createsuperuser.command.js';
import { importDjangoCommand } from './import-django.command.js';
import { migrate, migrationCreate } from './migrate.command.js';
import { passwordsReport } from './passwords-report.command.js';
import { usersList } from './users-list.command.js';

/** Every `pnpm cli` command by name. Feature commands live beside their feature and are listed here. */
export const commands: Record<string, Command> = {
  migrate,
  'migration:create': migrationCreate,
  cleartokens,
  createsuperuser,
  'users:list': usersList,
  'import:django': importDjangoCommand,
  'passwords:report': passwordsReport,
  'audit:prune': auditPrune,
};
