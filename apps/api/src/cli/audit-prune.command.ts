import { createServices } from '../services.js';
import type { Command } from './command.js';

const DAY_MS = 24 * 3600 * 1000;
const USAGE = 'usage: pnpm cli audit:prune [--days N]   (default: AUDIT_RETENTION_DAYS)\n';

/**
 * `pnpm cli audit:prune [--days N]`: deletes audit entries older than N days (AUDIT_RETENTION_DAYS
 * by default) through the database's `audit_log_prune`, the only DELETE the append-only trigger
 * lets through. Run it from cron; without a retention it refuses rather than guess.
 */
export const auditPrune: Command = {
  summary: 'delete audit log entries older than the retention (AUDIT_RETENTION_DAYS or --days N)',
  async run({ config, clock, args, stdout, stderr }) {
    let days = config.auditRetentionDays;
    const rest = [...args];
    const flag = rest.indexOf('--days');
    if (flag !== -1) {
      const value = rest[flag + 1];
      if (value === undefined || !/^[1-9]\d{0,4}$/.test(value)) {
        stderr.write(`--days needs a whole number of days (1 or more)\n${USAGE}`);
        return 2;
      }
      days = Number(value);
      rest.splice(flag, 2);
    }
    if (rest.length > 0) {
      stderr.write(`unknown argument: ${rest.join(' ')}\n${USAGE}`);
      return 2;
    }
    if (days === 0) {
      stderr.write(
        `no retention: AUDIT_RETENTION_DAYS is 0 (keep forever); give --days N to prune\n${USAGE}`,
      );
      return 2;
    }
    const services = await createServices(config, clock ? { clock } : {});
    try {
      const before = new Date(services.clock.now().getTime() - days * DAY_MS);
      const deleted = await services.audit.prune(services.db.orm.em.fork(), before);
      stdout.write(`deleted ${deleted} audit entr${deleted === 1 ? 'y' : 'ies'} older than ${days} days\n`);
      return 0;
    } finally {
      await services.close();
    }
  },
};
