import { timingSafeEqual } from 'node:crypto';

/** The Django hash families the project verifies, by the names Django's `PASSWORD_HASHERS` uses. */
export const DJANGO_SCHEMES = [
  'pbkdf2_sha256',
  'pbkdf2_sha1',
  'argon2',
  'bcrypt_sha256',
  'bcrypt',
  'scrypt',
  'md5',
  'sha1',
  'unsalted_md5',
  'unsalted_sha1',
] as const;
export type DjangoScheme = (typeof DJANGO_SCHEMES)[number];

/** A stored Django string that passed its structure and cost checks. */
export interface ParsedDjangoHash {
  scheme: DjangoScheme;
  /** The cost class, for reports and timing ("i=260000", "m=102400,t=2,p=8"); never salt or digest. */
  params: string;
  /** bcrypt's cost, for the "already at the configured cost" rule. */
  bcryptCost?: number;
  verify(password: string): Promise<boolean>;
}

/** Why a stored string cannot be verified. `algorithm` is only ever the prefix, never hash material. */
export type DjangoHashProblem =
  | { problem: 'hash_malformed'; scheme: DjangoScheme }
  | { problem: 'hash_parameters_out_of_bounds'; scheme: DjangoScheme }
  | { problem: 'unsupported_hasher'; algorithm: string };

export type DjangoHashParse = ParsedDjangoHash | DjangoHashProblem;

/**
 * Cost bounds (Kratos's, see the spec §6.4): a dump is attacker-controlled, and a verifier that
 * accepted `pbkdf2_sha256$2000000000$…` would burn a core per sign-in.
 */
export const BOUNDS = {
  pbkdf2Iterations: { min: 1, max: 10_000_000 },
  bcryptCost: { min: 4, max: 15 },
  scryptN: { min: 2, max: 2 ** 17 },
  scryptR: { min: 1, max: 8 },
  scryptP: { min: 1, max: 10 },
  argon2MemoryKiB: { max: 1_048_576 },
  argon2Time: { min: 1, max: 10 },
  argon2Parallelism: { min: 1, max: 16 },
} as const;

export function within(value: number, range: { min?: number; max: number }): boolean {
  return value >= (range.min ?? 0) && value <= range.max;
}

/** A decimal integer without sign, leading zeros being Django-legal; NaN otherwise. */
export function strictInt(text: string): number {
  return /^\d{1,12}$/.test(text) ? Number(text) : Number.NaN;
}

/** Strict standard base64 (with `padded`, exactly Python's `b64encode` output); null when not. */
export function decodeBase64(text: string, padded: boolean): Buffer | null {
  const pattern = padded
    ? /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/
    : /^[A-Za-z0-9+/]+$/;
  if (text === '' || !pattern.test(text)) return null;
  if (!padded && text.length % 4 === 1) return null;
  return Buffer.from(text, 'base64');
}

/** Constant-time equality; unequal lengths are simply unequal (lengths are not secret here). */
export function sameBytes(a: Buffer, b: Buffer): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}

export const malformed = (scheme: DjangoScheme): DjangoHashProblem => ({ problem: 'hash_malformed', scheme });
export const outOfBounds = (scheme: DjangoScheme): DjangoHashProblem => ({
  problem: 'hash_parameters_out_of_bounds',
  scheme,
});

export function isProblem(parse: DjangoHashParse): parse is DjangoHashProblem {
  return 'problem' in parse;
}
