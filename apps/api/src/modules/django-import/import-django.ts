import { basename } from 'node:path';
import type { EntityManager } from '@mikro-orm/postgresql';
import { createMikroOrmSqlClient } from '../../db/sql-client.js';
import type { AuditLog } from '../audit/audit.service.js';
import type { Clock } from '../base/clock.js';
import { openDumpSource } from './dump-reader.js';
import { slowestHashClass } from './hash-timing.js';
import type { ImportOptions } from './import-types.js';
import { type ImportPlan, planImport } from './plan.js';
import type { createProgress } from './progress.js';
import { buildReport, type ImportReport } from './report.js';
import { type WriteResult, writeImport } from './writer.js';

export interface ImportDeps {
  em: EntityManager;
  audit: AuditLog;
  clock: Clock;
  /** The process's bcrypt time at the configured cost, for the timing line. */
  bcryptMs: () => Promise<number>;
  progress: ReturnType<typeof createProgress>;
}

/** Exit codes of §6.8. */
export const EXIT = { ok: 0, error: 1, usage: 2, rejected: 3, config: 78 } as const;

/**
 * `import:django`: pass 1 plans against the dump and the live database, pass 2 writes in batches;
 * both, and the audit entry, in one transaction. A dry run, or `--strict` with rejections, writes
 * nothing. Resolves to the report and the exit code; dump and database errors reject (exit 1).
 */
export async function importDjango(
  deps: ImportDeps,
  dumpPath: string,
  stdin: NodeJS.ReadableStream,
  options: ImportOptions,
): Promise<{ report: ImportReport; exitCode: number }> {
  const started = performance.now();
  const source = await openDumpSource(dumpPath, stdin);
  const name = dumpPath === '-' ? 'stdin' : basename(dumpPath);
  try {
    let plan: ImportPlan | null = null;
    let written: WriteResult | null = null;
    await deps.em.transactional(async (tx) => {
      const sql = createMikroOrmSqlClient(tx as EntityManager);
      plan = await planImport(source, options, sql, (read, count) =>
        deps.progress.scanning(read, source.size, count),
      );
      deps.progress.scanning(source.size, source.size, plan.objects, true);
      const total = plan.counts.created + plan.counts.updated;
      const write = !(options.strict && plan.rejected.length > 0);
      if (!write) return;
      deps.progress.startWriting();
      written = await writeImport(source, plan, options, sql, deps.clock.now(), (rows) =>
        deps.progress.writing(rows, total),
      );
      deps.progress.writing(total, total, true);
      if (options.dryRun) return;
      await deps.audit.record(tx as EntityManager, {
        action: 'cli.import_django',
        actorId: null,
        metadata: {
          source: name,
          counts: { ...plan.counts, read: plan.usersRead, rejected: plan.rejected.length },
          rejected: plan.rejected.length,
          warnings: plan.warnings.length,
        },
      });
    });
    const finished = plan as ImportPlan | null;
    if (!finished) throw new Error('import plan missing');
    const timing = {
      slowestHash: await slowestHashClass(finished),
      bcryptMs: Math.round(await deps.bcryptMs()),
    };
    const report = buildReport(
      name,
      options,
      finished,
      written,
      timing,
      (performance.now() - started) / 1000,
    );
    return { report, exitCode: finished.rejected.length > 0 ? EXIT.rejected : EXIT.ok };
  } finally {
    await source.cleanup();
  }
}
