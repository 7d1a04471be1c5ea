import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { ConfigError, loadConfig } from '../config.js';
import { commands } from './commands.js';

/** `pnpm cli <command> [args]`: management commands over the same config and services as the API. */
const REPO_ROOT = fileURLToPath(new URL('../../../../', import.meta.url));

const HELP_FLAGS = new Set(['--help', '-h', 'help']);

async function main(): Promise<number> {
  const envFile = `${REPO_ROOT}.env`;
  if (existsSync(envFile)) process.loadEnvFile(envFile);
  const [name, ...args] = process.argv.slice(2);
  const command = name ? commands[name] : undefined;
  if (!command) {
    // Asked for (no command, `--help`, `help`): the usage on stdout, exit 0. An unknown command: on stderr, 2.
    const asked = name === undefined || HELP_FLAGS.has(name);
    const write = asked ? console.log : console.error;
    if (!asked) write(`unknown command: ${name}\n`);
    write(`usage: npm run cli -- <command> [args]   (\`<command> --help\` for its options)\n\ncommands:`);
    for (const [commandName, entry] of Object.entries(commands))
      write(`  ${commandName.padEnd(20)} ${entry.summary}`);
    return asked ? 0 : 2;
  }
  let config: ReturnType<typeof loadConfig>;
  try {
    config = loadConfig({
      ...process.env,
      DATA_DIR: process.env.DATA_DIR || `${REPO_ROOT}.data`,
      LOG_LEVEL: process.env.LOG_LEVEL || 'warn',
    });
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      return 78;
    }
    throw error;
  }
  return command.run({
    config,
    args,
    // npm and pnpm record the caller's directory in INIT_CWD before changing into the package.
    cwd: process.env.INIT_CWD || process.cwd(),
    stdout: process.stdout,
    stderr: process.stderr,
    stdin: process.stdin,
  });
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  },
);
