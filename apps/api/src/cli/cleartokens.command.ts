import { createServices } from '../services.js';
import type { Command } from './command.js';

/**
 * `pnpm cli cleartokens [--expired]`: housekeeping for the refresh-token store (either one).
 * Default: delete expired tokens and revoked ones. `--expired`: expired only, which keeps revoked
 * tokens as evidence for reuse detection until they expire. Live and rotated tokens always stay
 * (a rotated token must be remembered to detect its reuse). Redis also drops expired records on
 * its own (every key carries a TTL); the command then tidies what remains of the indexes.
 */
export const cleartokens: Command = {
  summary: 'delete dead refresh tokens: expired and revoked (--expired: expired only)',
  async run({ config, clock, args, stdout, stderr }) {
    const unknown = args.filter((arg) => arg !== '--expired');
    if (unknown.length > 0) {
      stderr.write(`unknown argument: ${unknown.join(' ')}\nusage: npm run cli -- cleartokens [--expired]\n`);
      return 2;
    }
    const expiredOnly = args.includes('--expired');
    const services = await createServices(config, clock ? { clock } : {});
    try {
      const deleted = await services.tokenStore.deleteExpired(services.clock.now(), {
        includeRevoked: !expiredOnly,
      });
      const what = expiredOnly ? 'expired' : 'expired or revoked';
      stdout.write(`deleted ${deleted} ${what} refresh token${deleted === 1 ? '' : 's'}\n`);
      return 0;
    } finally {
      await services.close();
    }
  },
};
