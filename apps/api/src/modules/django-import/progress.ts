/** Progress lines on stderr: every `everyMs` and at each phase end (§6.9). Silent when disabled. */
export function createProgress(
  out: NodeJS.WritableStream | null,
  everyMs = 2000,
  now = () => performance.now(),
) {
  let last = now();
  const mb = (bytes: number) => `${Math.round(bytes / 1e6)} MB`;
  const n = (value: number) => value.toLocaleString('en-US');
  const tick = (force: boolean, line: () => string) => {
    if (!out) return;
    const t = now();
    if (!force && t - last < everyMs) return;
    last = t;
    out.write(`${line()}\n`);
  };
  let started = now();
  return {
    scanning(read: number, total: number, objects: number, done = false) {
      tick(done, () => `pass 1: ${n(objects)} objects (${mb(read)} of ${mb(total)})`);
    },
    startWriting() {
      started = now();
    },
    writing(rows: number, total: number, done = false) {
      tick(done, () => {
        const seconds = (now() - started) / 1000;
        const rate = seconds > 0 ? rows / seconds : 0;
        const eta = rate > 0 ? Math.ceil((total - rows) / rate) : 0;
        const pct = total > 0 ? Math.floor((rows / total) * 100) : 100;
        return `users ${n(rows)}/${n(total)} (${pct}%) ${n(Math.round(rate))} rows/s, eta ${eta} s`;
      });
    },
  };
}
