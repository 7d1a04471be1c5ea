import { createHash } from 'node:crypto';
import { verify } from '@node-rs/bcrypt';
import { BOUNDS, type DjangoHashParse, malformed, outOfBounds, within } from './django-hash.js';

const MODULAR_CRYPT = /^\$2[aby]\$(\d{2})\$[./A-Za-z0-9]{53}$/;

/** Django's bcrypt_sha256 pre-hash: hex(sha256(UTF-8 password)), 64 ASCII bytes, so no 72-byte cut. */
export function sha256Hex(password: string): string {
  return createHash('sha256').update(password, 'utf8').digest('hex');
}

/** The cost of a `$2a$/$2b$/$2y$` string, or null when it is not one. */
export function bcryptCostOf(modularCrypt: string): number | null {
  const match = MODULAR_CRYPT.exec(modularCrypt);
  return match ? Number(match[1]) : null;
}

/**
 * `bcrypt_sha256$$2b$12$…` (bcrypt over the SHA-256 hex) and `bcrypt$$2b$12$…` (plain bcrypt,
 * which reads only the first 72 bytes of the password, in Django as in @node-rs/bcrypt).
 */
export function parseBcrypt(encoded: string, scheme: 'bcrypt_sha256' | 'bcrypt'): DjangoHashParse {
  const modularCrypt = encoded.slice(scheme.length + 1);
  const cost = bcryptCostOf(modularCrypt);
  if (cost === null) return malformed(scheme);
  if (!within(cost, BOUNDS.bcryptCost)) return outOfBounds(scheme);
  return {
    scheme,
    params: `cost=${cost}`,
    bcryptCost: cost,
    verify: (password) =>
      verify(scheme === 'bcrypt_sha256' ? sha256Hex(password) : password, modularCrypt).catch(() => false),
  };
}
