import type { ImportOptions, ImportWarning, Rejection } from './import-types.js';
import type { ImportPlan } from './plan.js';
import type { WriteResult } from './writer.js';

/** The JSON report (§6.8). Usernames and Django pks, emails only where a conflict needs them; never a hash. */
export interface ImportReport {
  source: string;
  dryRun: boolean;
  existing: ImportOptions['existing'];
  ids: 'keep' | 'new';
  userModel: string;
  naturalKeys: boolean;
  counts: {
    users: { read: number; created: number; updated: number; unchanged: number; rejected: number };
    passwords: Record<string, number>;
    groups: { created: number; reused: number };
    permissions: { created: number; reused: number };
    memberships: number;
    directGrants: number;
    skipped: Record<string, number>;
  };
  rejected: Rejection[];
  warnings: ImportWarning[];
  slowestHash: { scheme: string; params: string; ms: number } | null;
  bcryptMs: number;
  /** PASSWORD_FAILURE_FLOOR_MS that closes the timing gap of the slowest imported hash; 0 = none needed. */
  suggestedFailureFloorMs: number;
  nextId: number | null;
  seconds: number;
}

export function buildReport(
  source: string,
  options: ImportOptions,
  plan: ImportPlan,
  written: WriteResult | null,
  timing: { slowestHash: ImportReport['slowestHash']; bcryptMs: number },
  seconds: number,
): ImportReport {
  const groupsCreated = plan.groups.filter((g) => !g.existing).length;
  const permissionsCreated = plan.permissions.filter((p) => !p.existing).length;
  const slowest = timing.slowestHash?.ms ?? 0;
  return {
    source,
    dryRun: options.dryRun,
    existing: options.existing,
    ids: plan.idsKept ? 'keep' : 'new',
    userModel: plan.userModel,
    naturalKeys: plan.naturalKeys,
    counts: {
      users: { read: plan.usersRead, ...plan.counts, rejected: plan.rejected.length },
      passwords: plan.passwords,
      groups: { created: groupsCreated, reused: plan.groups.length - groupsCreated },
      permissions: { created: permissionsCreated, reused: plan.permissions.length - permissionsCreated },
      memberships: written && !options.dryRun ? written.memberships : plan.memberships,
      directGrants: written && !options.dryRun ? written.directGrants : plan.directGrants,
      skipped: plan.skipped,
    },
    rejected: plan.rejected,
    warnings: plan.warnings,
    slowestHash: timing.slowestHash,
    bcryptMs: timing.bcryptMs,
    suggestedFailureFloorMs: slowest > timing.bcryptMs ? Math.ceil(slowest * 1.1) : 0,
    nextId: written?.nextId ?? null,
    seconds,
  };
}

const n = (value: number) => value.toLocaleString('en-US');

/** The human summary on stdout. */
export function formatReport(report: ImportReport): string {
  const c = report.counts;
  const u = c.users;
  const passwords = Object.entries(c.passwords)
    .filter(([scheme, count]) => count > 0 && scheme !== 'nulled')
    .map(([scheme, count]) => `${scheme} ${n(count)}`);
  if (c.passwords.nulled) passwords.push(`not imported (NULL) ${n(c.passwords.nulled)}`);
  const lines = [
    `Django import: ${report.source} (dumpdata ${report.userModel}, ${report.naturalKeys ? 'natural keys' : 'pks'})${report.dryRun ? ' DRY RUN: nothing written' : ''}`,
    `  users       ${n(u.read)} read, ${n(u.created)} created, ${n(u.updated)} updated, ${n(u.unchanged)} unchanged, ${n(u.rejected)} rejected`,
    `  passwords   ${passwords.join(', ') || 'none'}`,
    `  groups      ${n(c.groups.created + c.groups.reused)} (${n(c.groups.created)} created), permissions ${n(c.permissions.created + c.permissions.reused)} (${n(c.permissions.created)} created, ${n(c.permissions.reused)} existing), memberships ${n(c.memberships)}, direct grants ${n(c.directGrants)}`,
    `  skipped     ${
      Object.entries(c.skipped)
        .map(([model, count]) => `${model} ${n(count)}`)
        .join(', ') || 'nothing'
    }`,
  ];
  const list = (label: string, items: string[]) => {
    for (const [i, item] of items.entries()) {
      lines.push(`${i === 0 ? `  ${label.padEnd(12)}` : ' '.repeat(14)}${item}`);
    }
  };
  list(
    'rejected',
    report.rejected.map(
      (r) =>
        `${r.username} (pk ${r.djangoPk ?? '-'}): ${r.reason}${r.keptUsername !== undefined ? `, kept ${r.keptUsername} (pk ${r.keptPk ?? '-'})` : ''}`,
    ),
  );
  list(
    'warnings',
    report.warnings.map(
      (w) =>
        `${w.username ?? '(all)'}${w.djangoPk !== null ? ` (pk ${w.djangoPk})` : ''}: ${w.code}${w.algorithm ? ` ${w.algorithm}` : ''}`,
    ),
  );
  const floor = report.suggestedFailureFloorMs
    ? `set PASSWORD_FAILURE_FLOOR_MS=${report.suggestedFailureFloorMs} to close the gap`
    : 'no floor needed';
  lines.push(
    `  timing      ${report.slowestHash ? `slowest imported hash: ${report.slowestHash.scheme} ${report.slowestHash.params} ≈ ${report.slowestHash.ms} ms; ` : ''}bcrypt ≈ ${report.bcryptMs} ms; ${floor}`,
    `  done in ${report.seconds.toFixed(1)} s; ids ${report.ids === 'keep' ? 'kept' : 'new'}${report.nextId !== null ? `, next id ${n(report.nextId)}` : ''}`,
  );
  return `${lines.join('\n')}\n`;
}
