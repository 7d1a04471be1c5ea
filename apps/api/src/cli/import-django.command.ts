import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { EntityManager } from '@mikro-orm/postgresql';
import { openDatabase } from '../db/database.js';
import { createLogger } from '../logger.js';
import { createAuditLog } from '../modules/audit/audit.service.js';
import { DJANGO_SCHEMES, type DjangoScheme } from '../modules/auth/django-hashers/django-hash.js';
import { createPasswordHasher } from '../modules/auth/password-hasher.js';
import { systemClock } from '../modules/base/clock.js';
import { DumpError } from '../modules/django-import/dump-reader.js';
import { EXIT, importDjango } from '../modules/django-import/import-django.js';
import type { ImportOptions } from '../modules/django-import/import-types.js';
import { createProgress } from '../modules/django-import/progress.js';
import { formatReport } from '../modules/django-import/report.js';
import { type Command, type CommandIo, parseFlags } from './command.js';

const USAGE = `usage: pnpm cli import:django <dump> [options]

Imports a Django project's users from \`manage.py dumpdata\` output: the user model, django-graphql-auth's
UserStatus, groups and permissions. Passwords are copied as Django hashed them and verified at sign-in
(then rehashed); refresh tokens and sessions are not imported. One transaction: all or nothing.

<dump>   a dumpdata file: .json (array; indented or one line), .jsonl, or either gzipped (.gz).
         "-" reads standard input.

  --dry-run                  validate everything and print the report; write nothing (same exit code)
  --report FILE              also write the report as JSON to FILE (never any part of a hash)
  --existing skip|update     rows a previous run imported: leave them (default) or update them
  --ids keep|new             keep Django pks as user ids (default keep)
  --hashers LIST             Django algorithms to accept, as the project's PASSWORD_HASHERS did
                             (default: ${DJANGO_SCHEMES.join(',')})
  --user-model APP.MODEL     default: detected (users.extenduser, auth.user, or the only user-like model)
  --status-model APP.MODEL   default graphql_auth.userstatus
  --missing-status unverified|verified   users without a status row (default unverified)
  --timezone ZONE            how to read naive datetimes (USE_TZ=False dumps); default UTC
  --strict                   any rejected row aborts the import: nothing is written (exit 3)
  --batch-size N             rows per INSERT (default 1000)
  --no-progress              no progress lines on stderr
  -h, --help

Embedded mode (no DATABASE_URL): the import opens the embedded PGlite database itself, so the
server must be stopped first (PGlite is single-process).

Exit codes: 0 imported (warnings allowed), 1 error (nothing written), 2 usage error,
3 completed but rows were rejected (with --strict or --dry-run nothing written), 78 configuration error.
`;

function usageError(io: CommandIo, message: string): number {
  io.stderr.write(`${message}\n\n${USAGE}`);
  return EXIT.usage;
}

/**
 * The database's own message, without the statement: knex prefixes the SQL with its bindings
 * inlined (`<sql> - <message>`), and the bindings carry hashes. PostgreSQL's part comes last.
 */
export function databaseCause(error: unknown): string {
  const {
    message = String(error),
    code,
    constraint,
  } = error as {
    message?: string;
    code?: string;
    constraint?: string;
  };
  const cause = message.includes(' - ') ? message.slice(message.lastIndexOf(' - ') + 3) : message;
  return `database error${code ? ` ${code}` : ''}: ${cause}${constraint ? ` (constraint ${constraint})` : ''}`;
}

function validZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

async function run(io: CommandIo): Promise<number> {
  const parsed = parseFlags(io, USAGE, {
    allowPositionals: true,
    options: {
      'dry-run': { type: 'boolean', default: false },
      report: { type: 'string' },
      existing: { type: 'string', default: 'skip' },
      ids: { type: 'string', default: 'keep' },
      hashers: { type: 'string', default: DJANGO_SCHEMES.join(',') },
      'user-model': { type: 'string' },
      'status-model': { type: 'string', default: 'graphql_auth.userstatus' },
      'missing-status': { type: 'string', default: 'unverified' },
      timezone: { type: 'string', default: 'UTC' },
      strict: { type: 'boolean', default: false },
      'batch-size': { type: 'string', default: '1000' },
      'no-progress': { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (typeof parsed === 'number') return parsed;
  const { values: flags, positionals } = parsed;
  if (positionals.length !== 1) return usageError(io, 'Give exactly one dump file (or "-" for stdin).');
  if (flags.existing !== 'skip' && flags.existing !== 'update')
    return usageError(io, '--existing is skip or update.');
  if (flags.ids !== 'keep' && flags.ids !== 'new') return usageError(io, '--ids is keep or new.');
  if (flags['missing-status'] !== 'unverified' && flags['missing-status'] !== 'verified') {
    return usageError(io, '--missing-status is unverified or verified.');
  }
  const hashers = flags.hashers
    .split(',')
    .map((name) => name.trim())
    .filter(Boolean);
  const unknown = hashers.filter((name) => !(DJANGO_SCHEMES as readonly string[]).includes(name));
  if (unknown.length > 0)
    return usageError(io, `--hashers: unknown ${unknown.join(', ')} (known: ${DJANGO_SCHEMES.join(', ')}).`);
  const batchSize = Number(flags['batch-size']);
  if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > 100_000) {
    return usageError(io, '--batch-size is an integer from 1 to 100000.');
  }
  if (!validZone(flags.timezone)) return usageError(io, `--timezone: unknown zone ${flags.timezone}.`);
  const modelPattern = /^[a-z0-9_]+\.[a-z0-9_]+$/i;
  for (const flag of ['user-model', 'status-model'] as const) {
    const value = flags[flag];
    if (value !== undefined && !modelPattern.test(value)) return usageError(io, `--${flag} is APP.MODEL.`);
  }
  const options: ImportOptions = {
    dryRun: flags['dry-run'],
    existing: flags.existing,
    ids: flags.ids,
    hashers: new Set(hashers as DjangoScheme[]),
    userModel: flags['user-model']?.toLowerCase() ?? null,
    statusModel: flags['status-model'].toLowerCase(),
    missingStatus: flags['missing-status'],
    timezone: flags.timezone,
    strict: flags.strict,
    batchSize,
  };

  const logger = createLogger(io.config.logLevel);
  let db: Awaited<ReturnType<typeof openDatabase>>;
  try {
    db = await openDatabase({
      databaseUrl: io.config.databaseUrl,
      dataDir: io.config.dataDir,
      poolSize: io.config.dbPoolSize,
      logger,
    });
  } catch (error) {
    io.stderr.write(`Cannot open the database: ${error instanceof Error ? error.message : String(error)}\n`);
    if (io.config.databaseUrl === null)
      io.stderr.write('Embedded mode: stop the server first (PGlite is single-process).\n');
    return EXIT.error;
  }
  try {
    const clock = io.clock ?? systemClock;
    const { report, exitCode } = await importDjango(
      {
        em: db.orm.em.fork() as EntityManager,
        audit: createAuditLog({ clock, logger }),
        clock,
        bcryptMs: async () => {
          const hasher = await createPasswordHasher({ cost: io.config.auth.bcryptCost });
          await hasher.seeded();
          return hasher.bcryptEstimateMs();
        },
        progress: createProgress(flags['no-progress'] ? null : io.stderr),
      },
      positionals[0] === '-' ? '-' : resolve(io.cwd ?? process.cwd(), positionals[0]!),
      io.stdin,
      options,
    );
    io.stdout.write(formatReport(report));
    if (flags.report)
      await writeFile(resolve(io.cwd ?? process.cwd(), flags.report), `${JSON.stringify(report, null, 2)}\n`);
    if (options.strict && exitCode === EXIT.rejected)
      io.stderr.write('--strict: rows were rejected, nothing written.\n');
    return exitCode;
  } catch (error) {
    // The cause only: a dump error names byte offsets, a database error its message; never row values.
    const message = error instanceof DumpError ? error.message : `nothing written: ${databaseCause(error)}`;
    io.stderr.write(`import:django failed: ${message}\n`);
    return EXIT.error;
  } finally {
    await db.close();
  }
}

export const importDjangoCommand: Command = {
  summary: 'import users, groups and permissions from a Django dumpdata file (see --help)',
  run,
};
