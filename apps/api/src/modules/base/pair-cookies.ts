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
 * The one place a resolver hands a new pair to the response's cookies (cookie mode; a no-op
 * otherwise). Both lifetimes are durations from the signing time on the application clock.
 */
export function setPairCookies(cookies: ResponseCookies, pair: IssuedPair): void {
  const signedAtMs = pair.payload.iat * 1000;
  cookies.setPair({
    token: pair.token,
    accessMaxAgeMs: pair.payload.exp * 1000 - signedAtMs,
    refreshToken: pair.refreshToken,
    refreshMaxAgeMs: pair.refreshExpiresIn * 1000 - signedAtMs,
  });
}

/** Signing out: both token cookies go. */
export function clearPairCookies(cookies: ResponseCookies): void {
  cookies.clearAccess();
  cookies.clearRefresh();
}
