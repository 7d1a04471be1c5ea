import type { ErrorCode } from '../base/errors/error-catalogue.js';

export const USERNAME_MAX_LENGTH = 150;
export const EMAIL_MAX_LENGTH = 254;
export const NAME_MAX_LENGTH = 150;

// Django's UnicodeUsernameValidator: letters, digits and @/./+/-/_ only.
const USERNAME_PATTERN = /^[\p{L}\p{N}_.@+-]+$/u;
// Django's EmailValidator, in spirit: dot-atom local part, dotted domain of letters/digits/hyphens
// (IDN allowed), no whitespace, a TLD of at least two letters.
const EMAIL_LOCAL = /^[\p{L}\p{N}!#$%&'*+/=?^_`{|}~-]+(?:\.[\p{L}\p{N}!#$%&'*+/=?^_`{|}~-]+)*$/u;
const EMAIL_DOMAIN =
  /^(?:[\p{L}\p{N}](?:[\p{L}\p{N}-]{0,61}[\p{L}\p{N}])?\.)+(?:[\p{L}]{2,63}|xn--[a-z0-9-]{1,59})$/iu;

/** Checks a username the way Django's user model does; returns the failing code, if any. */
export function usernameProblem(username: string): ErrorCode | null {
  if (username.trim() === '') return 'required';
  if ([...username].length > USERNAME_MAX_LENGTH) return 'max_length';
  if (!USERNAME_PATTERN.test(username)) return 'invalid';
  return null;
}

/** Checks an email address; returns the failing code, if any. */
export function emailProblem(email: string): ErrorCode | null {
  if (email.trim() === '') return 'required';
  if (email.length > EMAIL_MAX_LENGTH) return 'max_length';
  const at = email.lastIndexOf('@');
  if (at <= 0 || at === email.length - 1) return 'invalid';
  const local = email.slice(0, at);
  const domain = email.slice(at + 1);
  if (local.length > 64 || !EMAIL_LOCAL.test(local) || !EMAIL_DOMAIN.test(domain)) return 'invalid';
  return null;
}

/** Checks an optional name field. */
export function nameProblem(name: string | null | undefined): ErrorCode | null {
  if (name == null) return null;
  return [...name].length > NAME_MAX_LENGTH ? 'max_length' : null;
}
