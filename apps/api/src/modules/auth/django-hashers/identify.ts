import { parseArgon2 } from './argon2.js';
import { parseBcrypt } from './bcrypt.js';
import type { DjangoHashParse } from './django-hash.js';
import { parsePbkdf2 } from './pbkdf2.js';
import { parseSaltedDigest, parseUnsalted } from './salted-digest.js';
import { parseScrypt } from './scrypt.js';

/**
 * Django's `identify_hasher`, with structure and cost checks: the two unsalted exceptions by shape,
 * everything else by the prefix before the first `$`. Unusable (`!…`, `""`) is the caller's case.
 */
export function parseDjangoHash(encoded: string): DjangoHashParse {
  if (
    (encoded.length === 32 && !encoded.includes('$')) ||
    (encoded.length === 37 && encoded.startsWith('md5$$'))
  ) {
    return parseUnsalted(encoded, 'unsalted_md5');
  }
  if (encoded.length === 46 && encoded.startsWith('sha1$$')) return parseUnsalted(encoded, 'unsalted_sha1');
  // No `$` at all: the whole string would be the "algorithm", and it may be hash material.
  if (!encoded.includes('$')) return { problem: 'unsupported_hasher', algorithm: '(no prefix)' };
  const algorithm = encoded.slice(0, encoded.indexOf('$'));
  switch (algorithm) {
    case 'pbkdf2_sha256':
    case 'pbkdf2_sha1':
      return parsePbkdf2(encoded, algorithm);
    case 'argon2':
      return parseArgon2(encoded);
    case 'bcrypt_sha256':
    case 'bcrypt':
      return parseBcrypt(encoded, algorithm);
    case 'scrypt':
      return parseScrypt(encoded);
    case 'md5':
    case 'sha1':
      return parseSaltedDigest(encoded, algorithm);
    default:
      // Only the prefix, cut short and stripped to a name's characters: never any of the hash.
      return { problem: 'unsupported_hasher', algorithm: algorithm.slice(0, 32).replace(/[^\w.-]/g, '?') };
  }
}
