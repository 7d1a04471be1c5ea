import { readdirSync, readFileSync } from 'node:fs';
import { setPriority } from 'node:os';

/**
 * Linux only: lowers the scheduling priority (raises the nice value) of every thread of this process
 * except the main one, i.e. libuv's pool, where bcrypt runs, and V8's helper threads. Password
 * hashing keeps every core busy during a login storm; at the same priority as the event loop the
 * kernel shares the cores evenly with it, and a cheap `me` waits behind quarter-second hashes for
 * its slices. Niced, the hashes still get every cycle the event loop leaves, and the event loop runs
 * as soon as it has work. The pool's threads all exist once the hasher has queued its first
 * seeding job (libuv starts them together on first use), so call this after createServices.
 *
 * Threads started later (worker_threads) inherit the nice value of the thread that starts them.
 * `keep` names threads that serve requests as the main thread does (the embedded database's): they
 * stay where they are. Returns how many threads were lowered; 0 where there is no /proc (not Linux)
 * or nothing to do.
 */
export function lowerHelperThreadPriority(nice: number, keep: readonly number[] = []): number {
  if (nice <= 0) return 0;
  let tasks: string[];
  try {
    tasks = readdirSync('/proc/self/task');
  } catch {
    return 0;
  }
  let lowered = 0;
  for (const task of tasks) {
    const tid = Number(task);
    if (tid === process.pid || !Number.isInteger(tid) || keep.includes(tid)) continue;
    try {
      if (niceOf(tid) >= nice) continue;
      setPriority(tid, nice);
      lowered++;
    } catch {
      // the thread ended meanwhile
    }
  }
  return lowered;
}

/** The nice value of one thread of this process, or of `pid`'s (/proc/<pid>/task/<tid>/stat, field 19). */
export function niceOf(tid: number, of: { pid?: number } = {}): number {
  const stat = readFileSync(`/proc/${of.pid ?? 'self'}/task/${tid}/stat`, 'utf8');
  return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16]);
}
