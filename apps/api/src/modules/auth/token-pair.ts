import type { EntityManager } from '@mikro-orm/postgresql';
import type { ClientMeta } from '../base/client-meta.js';
import type { User } from '../users/user.entity.js';
import type { AccessTokenClaims } from './access-tokens.js';

/** What a sign-in hands the client: a short-lived access token and the refresh token of its session. */
export interface TokenPair {
  token: string;
  refreshToken: string;
  payload: AccessTokenClaims;
  /** Unix seconds. */
  refreshExpiresIn: number;
}

/**
 * Starts a session for `user` and returns its first pair. Implemented by the tokens module (which
 * owns refresh tokens) and handed in by the composition root, so auth depends on no module above it.
 */
export type IssueTokenPair = (user: User, meta: ClientMeta) => Promise<TokenPair>;

/** Ends the session of a refresh token that was issued but never handed out (a compensation). */
export type RevokeIssuedSession = (refreshToken: string) => Promise<unknown>;

/**
 * The first email of a new account: the activation link, or the password-set link of a passwordless
 * registration. Implemented by the account module's emails; throws `MailError` when mail cannot go out.
 */
export interface NewAccountMail {
  send(em: EntityManager, user: User, template: 'activation' | 'password-set'): Promise<void>;
}
