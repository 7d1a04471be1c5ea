/** Claims the client needs from an access token. Never trusted for authorization: only for timing. */
export interface AccessTokenTiming {
  exp: number | null;
  iat: number | null;
}

/**
 * Reads `exp`/`iat` from a JWT payload without verifying it (the server verifies; the client only
 * schedules refreshes). Uses atob + TextDecoder so it runs in browsers and Node 20 without Buffer.
 */
export function readTokenTiming(token: string): AccessTokenTiming {
  const part = token.split('.')[1];
  if (!part) return { exp: null, iat: null };
  try {
    const base64 = part
      .replace(/-/g, '+')
      .replace(/_/g, '/')
      .padEnd(Math.ceil(part.length / 4) * 4, '=');
    const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
    const claims = JSON.parse(new TextDecoder().decode(bytes)) as Record<string, unknown>;
    return { exp: numberOrNull(claims.exp), iat: numberOrNull(claims.iat) };
  } catch {
    return { exp: null, iat: null };
  }
}

function numberOrNull(value: unknown): number | null {
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}
