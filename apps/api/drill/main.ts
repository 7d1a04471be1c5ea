/**
 * `pnpm drill <name> [--short]`: operational drills that are not part of `npm test` (they take
 * minutes and measure, rather than assert single behaviours). Exit code 1 when a drill's goals fail.
 */
import { runOutageDrill } from './outages.js';

const drills: Record<string, (args: string[]) => Promise<boolean>> = {
  outages: (args) =>
    runOutageDrill({
      short: args.includes('--short'),
      only: args.find((arg) => arg.startsWith('--only='))?.slice('--only='.length),
    }),
};

const [name, ...args] = process.argv.slice(2).filter((arg) => arg !== '--');
const drill = name ? drills[name] : undefined;
if (!drill) {
  console.error(
    `usage: pnpm drill <${Object.keys(drills).join('|')}> [--short] [--only=postgres|redis|smtp]`,
  );
  process.exit(2);
}
const ok = await drill(args);
process.exit(ok ? 0 : 1);
