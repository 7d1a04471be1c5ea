import { randomBytes } from 'node:crypto';

/** What an email token lets its bearer do. A token of one purpose is invalid for any other. */
export type EmailTokenPurpose = 'activation' | 'password_reset' | 'password_set' | 'secondary_email';

export interface EmailTokenRecord {
  digest: string;
  userId: number;
  purpose: EmailTokenPurpose;
  /** The address being confirmed (secondary email tokens only). */
  email: string | null;
  createdAt: Date;
  expiresAt: Date;
  /** Set when the token was used, superseded by a newer one, or revoked by a password change. */
  usedAt: Date | null;
}

/** Tokens that die when the password changes (a secondary address too: it could reset the password). */
export const PASSWORD_BOUND_PURPOSES: readonly EmailTokenPurpose[] = [
  'password_reset',
  'password_set',
  'secondary_email',
];

/** 32 random bytes, base64url: URL-safe, so it can be the last path segment of the emailed link. */
export function generateEmailToken(): string {
  return randomBytes(32).toString('base64url');
}

/** Link path per purpose: `PUBLIC_APP_URL/<path>/<token>`. */
export const LINK_PATHS: Record<EmailTokenPurpose, string> = {
  activation: 'activate',
  password_reset: 'password-reset',
  password_set: 'password-set',
  secondary_email: 'activate-secondary-email',
};

export function emailLink(publicAppUrl: string, purpose: EmailTokenPurpose, token: string): string {
  return `${publicAppUrl}/${LINK_PATHS[purpose]}/${token}`;
}

export type EmailTokenCheck = 'valid' | 'invalid' | 'used' | 'expired';

/**
 * Classifies a looked-up token. Unknown or wrong purpose: invalid. A used (or superseded) token
 * is `used` even when also expired, so callers can answer replays (`already_verified`,
 * `password_already_set`) before the generic `invalid_token`. `expiresAt <= now` is expired.
 */
export function checkEmailToken(
  record: EmailTokenRecord | null,
  purpose: EmailTokenPurpose,
  now: Date,
): EmailTokenCheck {
  if (record === null || record.purpose !== purpose) return 'invalid';
  if (record.usedAt !== null) return 'used';
  if (record.expiresAt.getTime() <= now.getTime()) return 'expired';
  return 'valid';
}

/** "1 hour", "7 days", "90 minutes": for the "valid for" line of emails. */
export function describeDuration(seconds: number): string {
  const unit = (value: number, name: string) => `${value} ${name}${value === 1 ? '' : 's'}`;
  if (seconds % 86_400 === 0) return unit(seconds / 86_400, 'day');
  if (seconds % 3_600 === 0) return unit(seconds / 3_600, 'hour');
  if (seconds % 60 === 0) return unit(seconds / 60, 'minute');
  return unit(seconds, 'second');
}
