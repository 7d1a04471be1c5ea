/**
 * `pnpm drill [attacks] [--short] [--only fuzz,cost,brute,slow]`: the abuse drills (attacks.ts).
 * `pnpm drill outages [--short] [--only=postgres|redis|smtp]`: the outage drills (outages.ts).
 * Operational drills are not part of `npm test` (they take minutes and measure rather than assert
 * single behaviours); CI runs both with `--short`. Exit code 1 when a drill's goals fail.
 */
import { runOutageDrill } from './outages.js';

const args = process.argv.slice(2).filter((arg) => arg !== '--');
const name = args.find((arg) => !arg.startsWith('-')) ?? 'attacks';

if (name === 'outages') {
  const ok = await runOutageDrill({
    short: args.includes('--short'),
    only: args.find((arg) => arg.startsWith('--only='))?.slice('--only='.length),
  });
  process.exit(ok ? 0 : 1);
} else if (name === 'attacks') {
  await import('./attacks.js');
} else {
  console.error('usage: pnpm drill [attacks|outages] [--short] [--only ...]');
  process.exit(2);
}
