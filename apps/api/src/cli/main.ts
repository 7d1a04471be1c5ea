import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { ConfigError, loadConfig } from '../config.js';
import { commands } from './commands.js';

/** `pnpm cli <command> [args]`: management commands over the same config and services as the API. */
const REPO_ROOT = fileURLToPath(new URL('../../../../', import.meta.url));

async function main(): Promise<number> {
  const envFile = `${REPO_ROOT}.env`;
  if (existsSync(envFile)) process.loadEnvFile(envFile);
  const [name, ...args] = process.argv.slice(2);
  const command = name ? commands[name] : undefined;
  if (!command) {
    console.error(`usage: pnpm cli <command> [args]\n\ncommands:`);
    for (const [commandName, entry] of Object.entries(commands))
      console.error(`  ${commandName.padEnd(20)} ${entry.summary}`);
    return name ? 2 : 0;
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
