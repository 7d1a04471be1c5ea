// What the kernel accounts for a server process and its cluster workers, read from /proc (Linux): the
// benches compare CPU per request, steadier than requests per second on a shared machine.
import { readFileSync } from 'node:fs';

const CLOCK_TICKS = 100; // USER_HZ on Linux

/** The pid and its descendants (cluster workers). */
export function processTree(pid: number): number[] {
  const tree = [pid];
  try {
    for (const task of readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/)) {
      if (task) tree.push(...processTree(Number(task)));
    }
  } catch {
    // the process is gone
  }
  return tree;
}

/** CPU seconds used so far by `pid` and its descendants. */
export function cpuSeconds(pid: number): number {
  let ticks = 0;
  for (const member of processTree(pid)) {
    try {
      const stat = readFileSync(`/proc/${member}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      ticks += Number(fields[11]) + Number(fields[12]); // utime, stime
    } catch {
      // exited between listing and reading
    }
  }
  return ticks / CLOCK_TICKS;
}
