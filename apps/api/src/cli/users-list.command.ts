import type { EntityManager } from '@mikro-orm/postgresql';
import { openDatabase } from '../db/database.js';
import { createLogger } from '../logger.js';
import type { User } from '../modules/users/user.entity.js';
import { findUserConnection, type UserFilters } from '../modules/users/user-connection.js';
import { type Command, parseFlags } from './command.js';

const USAGE = `usage: npm run cli -- users:list [--search TEXT] [--inactive | --active] [--limit N] [--json]

Lists users in the order of the \`users\` query (date joined, then pk), at most --limit (default 50).
`;

function flagsOf(user: User): string {
  return [
    user.isSuperuser && 'superuser',
    user.isStaff && 'staff',
    !user.isActive && 'inactive',
    user.verified ? 'verified' : 'unverified',
    user.archived && 'archived',
  ]
    .filter(Boolean)
    .join(',');
}

/** Pads columns to their widest cell: readable in a terminal, greppable in scripts. */
function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)));
  return rows
    .map((row) =>
      row
        .map((cell, column) => cell.padEnd(widths[column]!))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

export const usersList: Command = {
  summary: 'list users: users:list [--search TEXT] [--active|--inactive] [--limit N] [--json]',
  async run(io) {
    const { config, stdout, stderr } = io;
    const flags = parseFlags(io, USAGE, {
      options: {
        search: { type: 'string' },
        active: { type: 'boolean' },
        inactive: { type: 'boolean' },
        limit: { type: 'string', default: '50' },
        json: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
    if (typeof flags === 'number') return flags;
    const { values } = flags;
    const limit = Number(values.limit);
    if (!Number.isInteger(limit) || limit < 1) {
      stderr.write('--limit must be a positive integer.\n');
      return 2;
    }
    const filters: UserFilters = {
      username_Icontains: values.search ?? null,
      isActive: values.active ? true : values.inactive ? false : null,
    };
    const db = await openDatabase({
      databaseUrl: config.databaseUrl,
      dataDir: config.dataDir,
      poolSize: config.dbPoolSize,
      logger: createLogger(config.logLevel),
    });
    try {
      const page = await findUserConnection(
        db.orm.em.fork() as EntityManager,
        filters,
        { first: limit },
        limit,
      );
      const users = page.edges.map((edge) => edge.node);
      if (values.json) {
        stdout.write(
          `${JSON.stringify(
            users.map(({ passwordHash: _hidden, ...user }) => user),
            null,
            2,
          )}\n`,
        );
        return 0;
      }
      const rows = [['PK', 'USERNAME', 'EMAIL', 'FLAGS', 'JOINED', 'LAST LOGIN']];
      for (const user of users) {
        rows.push([
          String(user.id),
          user.username,
          user.email,
          flagsOf(user),
          user.dateJoined.toISOString(),
          user.lastLogin?.toISOString() ?? '-',
        ]);
      }
      stdout.write(`${table(rows)}\n${users.length} of ${page.totalCount} user(s)\n`);
      return 0;
    } finally {
      await db.close();
    }
  },
};
