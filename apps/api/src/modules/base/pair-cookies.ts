import type { ResponseCookies } from './graphql-context.js';

/** The parts of a sign-in's token pair the cookies need (auth's `TokenPair` has them). */
interface IssuedPair {
  token: string;
  refreshToken: string;
  payload: { iat: number; exp: number };
  /** Unix seconds. */
  refreshExpiresIn: number;
}

/**
 * Writes a new pair to the response's cookies (cookie clients; a no-op returning false otherwise).
 * Both lifetimes are durations from the signing time on the application clock.
 */
function setPairCookies(cookies: ResponseCookies, pair: IssuedPair): boolean {
  const signedAtMs = pair.payload.iat * 1000;
  return cookies.setPair({
    token: pair.token,
    accessMaxAgeMs: pair.payload.exp * 1000 - signedAtMs,
    refreshToken: pair.refreshToken,
    refreshMaxAgeMs: pair.refreshExpiresIn * 1000 - signedAtMs,
  });
}

/**
 * Hands a new pair to the client: as cookies to a cookie client (the body's token fields are then
 * null: an httpOnly cookie protects nothing if the same token is in JSON a script can read), in the
 * body to a bearer client.
 */
export function deliverPair(
  cookies: ResponseCookies,
  pair: IssuedPair,
): { token: string | null; refreshToken: string | null } {
  if (setPairCookies(cookies, pair)) return { token: null, refreshToken: null };
  return { token: pair.token, refreshToken: pair.refreshToken };
}

/** A sign-in (tokenAuth, register): the pair is delivered and the CSRF cookie replaced. */
export function deliverSignInPair(
  cookies: ResponseCookies,
  pair: IssuedPair,
): { token: string | null; refreshToken: string | null } {
  cookies.rotateCsrf();
  return deliverPair(cookies, pair);
}

/** Signing out: both token cookies go. */
export function clearPairCookies(cookies: ResponseCookies): void {
  cookies.clearAccess();
  cookies.clearRefresh();
}
