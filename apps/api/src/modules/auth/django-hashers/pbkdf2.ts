import { pbkdf2 } from 'node:crypto';
import { promisify } from 'node:util';
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

const pbkdf2Async = promisify(pbkdf2);

/** `pbkdf2_sha256$<iter>$<salt>$<b64>` and `pbkdf2_sha1$…`: PBKDF2-HMAC over UTF-8 bytes and the salt's ASCII. */
export function parsePbkdf2(encoded: string, scheme: 'pbkdf2_sha256' | 'pbkdf2_sha1'): DjangoHashParse {
  const parts = encoded.split('$');
  if (parts.length !== 4) return malformed(scheme);
  const [, iterText, salt, b64] = parts as [string, string, string, string];
  const iterations = strictInt(iterText);
  const keyLength = scheme === 'pbkdf2_sha256' ? 32 : 20;
  const expected = decodeBase64(b64, true);
  if (Number.isNaN(iterations) || salt === '' || expected?.length !== keyLength) return malformed(scheme);
  if (!within(iterations, BOUNDS.pbkdf2Iterations)) return outOfBounds(scheme);
  const digest = scheme === 'pbkdf2_sha256' ? 'sha256' : 'sha1';
  return {
    scheme,
    params: `i=${iterations}`,
    async verify(password) {
      const actual = await pbkdf2Async(
        Buffer.from(password, 'utf8'),
        Buffer.from(salt, 'utf8'),
        iterations,
        keyLength,
        digest,
      );
      return sameBytes(actual, expected);
    },
  };
}
