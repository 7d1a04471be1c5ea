import { createInterface } from 'node:readline';
import type { EntityManager } from '@mikro-orm/postgresql';
import { openDatabase } from '../db/database.js';
import { createLogger } from '../logger.js';
import {
  createSuperuser,
  emailErrors,
  passwordErrors,
  usernameErrors,
} from '../modules/admin/create-superuser.js';
import { createAuditLog } from '../modules/audit/audit.service.js';
import { createBcryptHasher } from '../modules/auth/password-hasher.js';
import { systemClock } from '../modules/base/clock.js';
import type { ExpectedError } from '../modules/base/errors/expected-errors.js';
import { type Command, type CommandIo, parseFlags } from './command.js';

const USAGE = `usage: npm run cli -- createsuperuser [--username NAME] [--email ADDRESS]
                                [--password PASSWORD | --password-stdin] [--no-input]

Creates an active, verified staff superuser. Missing values are asked for (the password without
echo) unless --no-input is given; SUPERUSER_USERNAME, SUPERUSER_EMAIL and SUPERUSER_PASSWORD fill
in for missing flags. Prefer --password-stdin to --password: flags end up in shell history.
`;

const MAX_ATTEMPTS = 3;

/** Line prompts over any stream; on a terminal the password is read without echo. */
function createPrompter(io: CommandIo) {
  const input = io.stdin as NodeJS.ReadableStream & { isTTY?: boolean };
  const terminal = Boolean(input.isTTY);
  const rl = createInterface({ input, output: io.stdout, terminal });
  let muted = false;
  // readline echoes typed characters through this method; while muted only the final newline shows.
  const internals = rl as unknown as { _writeToOutput(text: string): void };
  const write = internals._writeToOutput.bind(rl);
  internals._writeToOutput = (text) => {
    if (!muted) write(text);
    else if (text.includes('\n')) write('\n');
  };
  // The iterator buffers lines, so answers piped in all at once are not lost between questions.
  const lines = rl[Symbol.asyncIterator]();
  return {
    async ask(question: string, hidden = false): Promise<string | null> {
      io.stdout.write(question);
      muted = hidden && terminal;
      try {
        const next = await lines.next();
        return next.done ? null : next.value;
      } finally {
        muted = false;
      }
    },
    close: () => rl.close(),
  };
}

function describe(errors: readonly ExpectedError[]): string {
  return errors.map((error) => error.message).join(' ');
}

async function readAll(stream: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk)));
  // One trailing newline is what `echo` and here-strings add; it is not part of the password.
  return Buffer.concat(chunks)
    .toString('utf8')
    .replace(/\r?\n$/, '');
}

/** Asks until the answer passes `check` (at most MAX_ATTEMPTS times); null when input runs out. */
async function askValid(
  prompter: ReturnType<typeof createPrompter>,
  io: CommandIo,
  question: string,
  check: (answer: string) => Promise<ExpectedError[]> | ExpectedError[],
  hidden = false,
): Promise<string | null> {
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt += 1) {
    const answer = await prompter.ask(question, hidden);
    if (answer === null) return null;
    const errors = await check(hidden ? answer : answer.trim());
    if (errors.length === 0) return hidden ? answer : answer.trim();
    io.stderr.write(`Error: ${describe(errors)}\n`);
  }
  return null;
}

async function run(io: CommandIo): Promise<number> {
  const parsed = parseFlags(io, USAGE, {
    options: {
      username: { type: 'string' },
      email: { type: 'string' },
      password: { type: 'string' },
      'password-stdin': { type: 'boolean', default: false },
      'no-input': { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (typeof parsed === 'number') return parsed;
  const flags = parsed.values;
  if (flags.password !== undefined && flags['password-stdin']) {
    io.stderr.write('Give --password or --password-stdin, not both.\n');
    return 2;
  }
  const fallback = io.config.superuser;
  let username = flags.username ?? fallback.username;
  let email = flags.email ?? fallback.email;
  let password = flags['password-stdin'] ? await readAll(io.stdin) : (flags.password ?? fallback.password);
  const interactive = !flags['no-input'];
  if (!interactive && (!username || !email || !password)) {
    const missing = [!username && 'username', !email && 'email', !password && 'password'].filter(Boolean);
    io.stderr.write(`--no-input: missing ${missing.join(', ')} (flags or SUPERUSER_* variables).\n`);
    return 2;
  }
  if (flags['password-stdin'] && interactive && (!username || !email)) {
    io.stderr.write('--password-stdin needs --username and --email (stdin carries the password).\n');
    return 2;
  }

  const logger = createLogger(io.config.logLevel);
  const db = await openDatabase({
    databaseUrl: io.config.databaseUrl,
    dataDir: io.config.dataDir,
    poolSize: io.config.dbPoolSize,
    logger,
  });
  try {
    const em = db.orm.em.fork() as EntityManager;
    if (interactive && (!username || !email || !password)) {
      const prompter = createPrompter(io);
      try {
        username ||= (await askValid(prompter, io, 'Username: ', (value) => usernameErrors(em, value))) ?? '';
        email ||= (await askValid(prompter, io, 'Email address: ', (value) => emailErrors(em, value))) ?? '';
        if (username && email && !password) {
          password =
            (await askValid(
              prompter,
              io,
              'Password: ',
              async (value) => {
                const errors = passwordErrors({ username: username!, email: email!, password: value });
                if (errors.length > 0) return errors;
                const again = await prompter.ask('Password (again): ', true);
                return again === value
                  ? []
                  : [{ code: 'password_mismatch', message: 'Passwords do not match.' }];
              },
              true,
            )) ?? '';
        }
      } finally {
        prompter.close();
      }
      if (!username || !email || !password) {
        io.stderr.write('Superuser creation aborted.\n');
        return 1;
      }
    }
    const result = await createSuperuser(
      {
        em,
        hasher: await createBcryptHasher(io.config.auth.bcryptCost),
        clock: systemClock,
        audit: createAuditLog({ clock: systemClock, logger }),
      },
      { username: username!, email: email!, password: password! },
    );
    if (!result.ok) {
      for (const [field, errors] of Object.entries(result.errors)) {
        io.stderr.write(`Error (${field}): ${describe(errors)}\n`);
      }
      return 1;
    }
    io.stdout.write(`Superuser "${result.user.username}" created (pk ${result.user.id}).\n`);
    return 0;
  } finally {
    await db.close();
  }
}

export const createsuperuser: Command = {
  summary: 'create a staff superuser (interactive, or --no-input with flags / SUPERUSER_* env)',
  run,
};
