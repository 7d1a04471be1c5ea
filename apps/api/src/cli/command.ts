import type { Config } from '../config.js';

export interface CommandIo {
  config: Config;
  args: string[];
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  stdin: NodeJS.ReadableStream;
}

/** One `pnpm cli` command. `run` resolves to the process exit code. */
export interface Command {
  summary: string;
  run(io: CommandIo): Promise<number>;
}
