import { scrypt } from 'node:crypto';
import {
  BOUNDS,
  type DjangoHashParse,
  decodeBase64,
  malformed,
  outOfBounds,
  sameBytes,
  strictInt,
  within,
} from './django-hash.js';

function scryptAsync(password: Buffer, salt: Buffer, N: number, r: number, p: number): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    // maxmem: what the parameters need (128·N·r for V, 128·r·p for B) plus slack; bounded by BOUNDS.
    scrypt(password, salt, 64, { N, r, p, maxmem: 128 * N * r + 128 * r * p + 2 ** 20 }, (error, key) =>
      error ? reject(error) : resolve(key),
    ),
  );
}

/** `scrypt$<N>$<salt>$<r>$<p>$<b64>` (Django 4.0+; note the field order), dkLen 64. */
export function parseScrypt(encoded: string): DjangoHashParse {
  const parts = encoded.split('$');
  if (parts.length !== 6) return malformed('scrypt');
  const [, nText, salt, rText, pText, b64] = parts as [string, string, string, string, string, string];
  const [N, r, p] = [strictInt(nText), strictInt(rText), strictInt(pText)];
  const expected = decodeBase64(b64, true);
  if ([N, r, p].some(Number.isNaN) || salt === '' || expected?.length !== 64) return malformed('scrypt');
  const powerOfTwo = (N & (N - 1)) === 0;
  if (!powerOfTwo || !within(N, BOUNDS.scryptN) || !within(r, BOUNDS.scryptR) || !within(p, BOUNDS.scryptP)) {
    return outOfBounds('scrypt');
  }
  return {
    scheme: 'scrypt',
    params: `N=${N},r=${r},p=${p}`,
    async verify(password) {
      const actual = await scryptAsync(Buffer.from(password, 'utf8'), Buffer.from(salt, 'utf8'), N, r, p);
      return sameBytes(actual, expected);
    },
  };
}
