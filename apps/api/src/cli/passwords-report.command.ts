import type { EntityManager } from '@mikro-orm/postgresql';
import { openDatabase } from '../db/database.js';
import { createMikroOrmSqlClient } from '../db/sql-client.js';
import { createLogger } from '../logger.js';
import { countPasswordSchemes } from '../modules/auth/password-schemes.js';
import { type Command, parseFlags } from './command.js';

const USAGE = `usage: pnpm cli passwords:report [--json]

Counts users per stored password scheme: the project's bcrypt at BCRYPT_COST (native), and what is
left to upgrade (Django schemes after import:django, bcrypt at another cost). Each of those is
rehashed at the user's next successful sign-in. "none" is the passwordless state.
`;

function describe(scheme: string, cost: number | null, native: boolean): string {
  const name = cost === null ? scheme : `${scheme} cost ${cost}`;
  if (scheme === 'none') return 'none (passwordless)';
  return native ? `${name} (native)` : `${name} (upgraded at next sign-in)`;
}

export const passwordsReport: Command = {
  summary: 'users per stored password scheme (watch a Django migration drain): passwords:report [--json]',
  async run(io) {
    const { config, stdout } = io;
    const flags = parseFlags(io, USAGE, {
      options: {
        json: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
    if (typeof flags === 'number') return flags;
    const { values } = flags;
    const db = await openDatabase({
      databaseUrl: config.databaseUrl,
      dataDir: config.dataDir,
      poolSize: config.dbPoolSize,
      logger: createLogger(config.logLevel),
    });
    try {
      const counts = await countPasswordSchemes(
        createMikroOrmSqlClient(db.orm.em.fork() as EntityManager),
        config.auth.bcryptCost,
      );
      if (values.json) {
        stdout.write(`${JSON.stringify({ bcryptCost: config.auth.bcryptCost, schemes: counts }, null, 2)}\n`);
        return 0;
      }
      const total = counts.reduce((sum, row) => sum + row.users, 0);
      const left = counts.filter((row) => !row.native).reduce((sum, row) => sum + row.users, 0);
      const lines = counts.map(
        (row) =>
          `  ${describe(row.scheme, row.cost, row.native).padEnd(48)} ${row.users.toLocaleString('en-US').padStart(9)}`,
      );
      stdout.write(
        `Stored passwords (${total.toLocaleString('en-US')} users, BCRYPT_COST ${config.auth.bcryptCost})\n${lines.join('\n')}\n` +
          `  ${left.toLocaleString('en-US')} left to upgrade\n`,
      );
      return 0;
    } finally {
      await db.close();
    }
  },
};
