/** What the duplicate rule compares (§6.5 rule 1). */
export interface Contender {
  pk: number | null;
  /** Position in the dump: the tie-breaker when rows have no pk. */
  seq: number;
  isActive: boolean;
  verified: boolean;
  /** ms since the epoch; null = never signed in. */
  lastLogin: number | null;
}

/**
 * Negative when `a` wins: active before inactive, verified before unverified, the latest
 * `last_login` (never last), then the lowest pk. Deterministic, so a re-run picks the same winner.
 */
export function compareContenders(a: Contender, b: Contender): number {
  if (a.isActive !== b.isActive) return a.isActive ? -1 : 1;
  if (a.verified !== b.verified) return a.verified ? -1 : 1;
  if (a.lastLogin !== b.lastLogin) {
    if (a.lastLogin === null) return 1;
    if (b.lastLogin === null) return -1;
    return b.lastLogin - a.lastLogin;
  }
  return (a.pk ?? Number.MAX_SAFE_INTEGER) - (b.pk ?? Number.MAX_SAFE_INTEGER) || a.seq - b.seq;
}

/** Groups `items` by `key` (skipping null keys) and returns each losing item with its group's winner. */
export function losersByKey<T extends Contender>(items: T[], key: (item: T) => string | null): Map<T, T> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    if (k === null) continue;
    const group = groups.get(k);
    if (group) group.push(item);
    else groups.set(k, [item]);
  }
  const losers = new Map<T, T>();
  for (const group of groups.values()) {
    if (group.length < 2) continue;
    const winner = group.reduce((best, item) => (compareContenders(item, best) < 0 ? item : best));
    for (const item of group) if (item !== winner) losers.set(item, winner);
  }
  return losers;
}
