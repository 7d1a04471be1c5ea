import { spawnSync } from 'node:child_process';
import { getPriority } from 'node:os';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const MODULE = fileURLToPath(new URL('./thread-priority.ts', import.meta.url));

/** Runs `code` in a fresh Node process (so this one keeps its priorities) and parses its JSON line. */
function inChild(code: string): { main: number; others: number[]; lowered: number } {
  const run = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code], {
    cwd: fileURLToPath(new URL('..', import.meta.url)),
    encoding: 'utf8',
  });
  expect(run.status, run.stderr).toBe(0);
  return JSON.parse(run.stdout.trim().split('\n').at(-1)!);
}

const report = `
  const { readdirSync } = await import('node:fs');
  const { lowerHelperThreadPriority, niceOf } = await import(${JSON.stringify(MODULE)});
  const { hash } = await import('@node-rs/bcrypt');
  await hash('warm the pool', { cost: 4 }); // libuv starts its pool threads on first use
  const lowered = lowerHelperThreadPriority(Number(process.env.NICE));
  const others = readdirSync('/proc/self/task').map(Number).filter((tid) => tid !== process.pid);
  console.log(JSON.stringify({ lowered, main: niceOf(process.pid), others: others.map(niceOf) }));
`;

// The child starts at this process's own nice value (normally 0).
const base = getPriority();

describe.runIf(process.platform === 'linux' && base < 7)('lowerHelperThreadPriority', () => {
  it('lowers every thread but the main one, libuv pool included', () => {
    const { main, others, lowered } = inChild(`process.env.NICE = '7'; ${report}`);
    expect(main).toBe(base);
    // V8's helpers and libuv's four pool threads at least.
    expect(others.length).toBeGreaterThanOrEqual(4);
    expect(others.every((nice) => nice === 7)).toBe(true);
    expect(lowered).toBe(others.length);
  });

  it('keeps the threads it is told to keep (the embedded database serves requests)', () => {
    const { main, others, kept, lowered } = inChild(`
      const { readdirSync } = await import('node:fs');
      const { lowerHelperThreadPriority, niceOf } = await import(${JSON.stringify(MODULE)});
      const { hash } = await import('@node-rs/bcrypt');
      await hash('warm the pool', { cost: 4 });
      const tids = readdirSync('/proc/self/task').map(Number).filter((tid) => tid !== process.pid);
      const kept = tids[0];
      const lowered = lowerHelperThreadPriority(7, [kept]);
      const others = tids.filter((tid) => tid !== kept).map(niceOf);
      console.log(JSON.stringify({ lowered, main: niceOf(process.pid), kept: niceOf(kept), others }));
    `) as ReturnType<typeof inChild> & { kept: number };
    expect(main).toBe(base);
    expect(kept).toBe(base);
    expect(others.length).toBeGreaterThanOrEqual(4);
    expect(others.every((nice) => nice === 7)).toBe(true);
    expect(lowered).toBe(others.length);
  });

  it('leaves everything alone at 0', () => {
    const { main, others, lowered } = inChild(`process.env.NICE = '0'; ${report}`);
    expect(lowered).toBe(0);
    expect([main, ...others].every((nice) => nice === base)).toBe(true);
  });
});
