import { PassThrough } from 'node:stream';
import type { CommandIo } from '../../src/cli/command.js';
import { commands } from '../../src/cli/commands.js';
import type { Config } from '../../src/config.js';

/** Runs `pnpm cli import:django` in-process with captured output and optional stdin. */
export async function runImport(config: Config, args: string[], stdin: string | Buffer = '') {
  const input = new PassThrough();
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (chunk) => {
    out += chunk;
  });
  stderr.on('data', (chunk) => {
    err += chunk;
  });
  input.end(stdin);
  const io: CommandIo = { config, args, stdin: input, stdout, stderr };
  const code = await commands['import:django']!.run(io);
  return { code, out, err };
}
