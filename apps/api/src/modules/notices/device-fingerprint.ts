import { coarseIp, summariseUserAgent } from '../sessions/client-summary.js';

/**
 * A device as notices tell them apart: the user-agent family (browser and system without their
 * versions, so an update is not a new device) and the coarse network (/24 or /48). Never a raw IP.
 */
export function deviceFingerprint(userAgent: string | null, ip: string | null): string {
  const family = (summariseUserAgent(userAgent) ?? 'unknown device').replace(/ \d+(?=( on |$))/, '');
  return `${family} | ${coarseIp(ip) ?? 'unknown network'}`;
}
