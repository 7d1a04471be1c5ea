import type { Request, Response } from 'express';
import { getOperationAST, parse } from 'graphql';
import { tokenFromAuthorizationHeader } from '../modules/auth/authorization-header.js';
import { requestErrorBody } from '../modules/base/errors/request-errors.js';
import type { RequestCredentials, ResponseCookies } from '../modules/base/graphql-context.js';
import type { Services } from '../services.js';
import { parseCookies } from './cookies.js';
import { checkCsrf } from './csrf.js';
import {
  createTokenCookieJar,
  ensureCsrfCookie,
  NO_COOKIES,
  readCookieCredentials,
} from './token-cookies.js';

export type CredentialsOutcome =
  | { ok: true; credentials: RequestCredentials; cookies: ResponseCookies }
  /** A cookie-authenticated mutation failed the CSRF check: answer 403 and run nothing. */
  | { ok: false; body: string };

/** Whether the document would run a mutation; unparsable documents are left to graphql-http. */
function isMutation(query: unknown, operationName: unknown): boolean {
  if (typeof query !== 'string') return false;
  try {
    const operation = getOperationAST(parse(query), typeof operationName === 'string' ? operationName : null);
    return operation?.operation === 'mutation';
  } catch {
    return false;
  }
}

/** The request header a native client (no cookie jar) sends in cookie mode to get its pair in the body. */
export const TOKEN_DELIVERY_HEADER = 'x-token-delivery';

/**
 * In cookie mode every client is a cookie client (its pair goes only into httpOnly cookies, the body's
 * token fields are null) except one that asks for the body, by an Authorization header or
 * `x-token-delivery: body`, and carries no token cookie. The second condition is what keeps the
 * tokens from page scripts: a script's request carries the page's cookies (so it gets cookies back),
 * and without them it has no refresh cookie to trade.
 */
function clientKind(
  req: Request,
  headerToken: string | null,
  cookies: { accessToken: string | null; refreshToken: string | null },
): 'cookie' | 'bearer' {
  const asks = headerToken !== null || req.get(TOKEN_DELIVERY_HEADER) === 'body';
  return asks && !cookies.accessToken && !cookies.refreshToken ? 'bearer' : 'cookie';
}

/**
 * Works out the request's credentials. Bearer mode: the Authorization header only. Cookie mode
 * adds the access and refresh cookies, which a mutation may only use after the CSRF check
 * (Origin allow-list and double-submit header): a cross-site attempt with cookies is refused with
 * 403 unless it authenticates by header, in which case its cookies are simply ignored.
 */
export function resolveCredentials(
  services: Services,
  req: Request,
  res: Response,
  params: { query?: unknown; operationName?: unknown },
): CredentialsOutcome {
  const headerToken = tokenFromAuthorizationHeader(req.get('authorization'));
  const settings = services.config.cookies;
  if (!settings.enabled) {
    return {
      ok: true,
      credentials: {
        accessToken: headerToken,
        accessTokenSource: headerToken ? 'header' : null,
        refreshCookie: null,
      },
      cookies: NO_COOKIES,
    };
  }
  const cookies = readCookieCredentials(settings, parseCookies(req.get('cookie')));
  ensureCsrfCookie(res, settings, cookies.csrfToken);
  const tokenCookies = createTokenCookieJar(res, settings, clientKind(req, headerToken, cookies));
  let { accessToken, refreshToken } = cookies;
  if ((accessToken || refreshToken) && isMutation(params.query, params.operationName)) {
    const verdict = checkCsrf(req, settings, cookies.csrfToken);
    if (!verdict.ok) {
      services.logger.warn({ requestId: res.locals.requestId, reason: verdict.reason }, 'CSRF check failed');
      if (!headerToken) {
        return {
          ok: false,
          body: JSON.stringify(
            requestErrorBody(
              'CSRF_FAILED',
              verdict.reason === 'origin'
                ? 'Cross-site request refused: origin not allowed.'
                : 'CSRF check failed: send the CSRF cookie in the x-csrf-token header.',
            ),
          ),
        };
      }
      accessToken = null;
      refreshToken = null;
    }
  }
  // A header beats the cookie: an explicit credential says what the client means.
  const access = headerToken ?? accessToken;
  return {
    ok: true,
    credentials: {
      accessToken: access,
      accessTokenSource: headerToken ? 'header' : access ? 'cookie' : null,
      refreshCookie: refreshToken,
    },
    cookies: tokenCookies,
  };
}
