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
