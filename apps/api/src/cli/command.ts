import { type ParseArgsConfig, parseArgs } from 'node:util';
import type { Config } from '../config.js';
import type { Clock } from '../modules/base/clock.js';

export interface CommandIo {
  config: Config;
  /**
   * The clock the command judges time by (the system clock from the shell). Whoever runs a command
   * in-process passes the clock that created the data, so "expired" means the same to both.
   */
  clock?: Clock;
  args: string[];
  /**
   * Where the user ran the command: relative paths in arguments resolve against it (`pnpm cli`
   * runs the CLI from apps/api). Defaults to the process's own directory.
   */
  cwd?: string;
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  stdin: NodeJS.ReadableStream;
}

/** One `pnpm cli` command. `run` resolves to the process exit code. */
export interface Command {
  summary: string;
  run(io: CommandIo): Promise<number>;
}

/**
 * A command's flags, parsed strictly with the CLI's conventions: an unknown or malformed flag prints
 * its message and the usage to stderr (exit 2), `--help`/`-h` prints the usage (exit 0). Returns the
 * parsed flags, or the exit code when the command stops here.
 */
export function parseFlags<const T extends Omit<ParseArgsConfig, 'args' | 'strict'>>(
  io: CommandIo,
  usage: string,
  config: T,
): ReturnType<typeof parseArgs<T & { strict: true }>> | number {
  let parsed: ReturnType<typeof parseArgs<T & { strict: true }>>;
  try {
    parsed = parseArgs<T & { strict: true }>({ ...config, args: io.args, strict: true });
  } catch (error) {
    io.stderr.write(`${error instanceof Error ? error.message : String(error)}\n\n${usage}`);
    return 2;
  }
  if ((parsed.values as { help?: boolean }).help) {
    io.stdout.write(usage);
    return 0;
  }
  return parsed;
}
