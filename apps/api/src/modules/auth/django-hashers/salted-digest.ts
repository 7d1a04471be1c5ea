import { createHash } from 'node:crypto';
import { type DjangoHashParse, malformed, sameBytes } from './django-hash.js';

const HEX = { md5: /^[0-9a-f]{32}$/, sha1: /^[0-9a-f]{40}$/ };

function digestVerifier(
  scheme: 'md5' | 'sha1' | 'unsalted_md5' | 'unsalted_sha1',
  algorithm: 'md5' | 'sha1',
  salt: string,
  hex: string,
): DjangoHashParse {
  if (!HEX[algorithm].test(hex)) return malformed(scheme);
  const expected = Buffer.from(hex, 'ascii');
  return {
    scheme,
    params: '-',
    // Sync, but a single digest of a short string: microseconds, not worth a thread hop.
    verify: async (password) =>
      sameBytes(
        Buffer.from(
          createHash(algorithm)
            .update(salt + password, 'utf8')
            .digest('hex'),
          'ascii',
        ),
        expected,
      ),
  };
}

/** `md5$<salt>$<hex>` and `sha1$<salt>$<hex>`: one digest of salt + password. Legacy, upgraded on sign-in. */
export function parseSaltedDigest(encoded: string, scheme: 'md5' | 'sha1'): DjangoHashParse {
  const parts = encoded.split('$');
  // Django refuses an empty salt or one containing `$` when encoding, so such a string is not its own.
  if (parts.length !== 3 || parts[1] === '') return malformed(scheme);
  return digestVerifier(scheme, scheme, parts[1]!, parts[2]!);
}

/** Unsalted MD5 (a bare 32-hex string or `md5$$<hex>`) and unsalted SHA-1 (`sha1$$<hex>`). */
export function parseUnsalted(encoded: string, scheme: 'unsalted_md5' | 'unsalted_sha1'): DjangoHashParse {
  const hex = encoded.includes('$') ? encoded.slice(encoded.lastIndexOf('$') + 1) : encoded;
  return digestVerifier(scheme, scheme === 'unsalted_md5' ? 'md5' : 'sha1', '', hex);
}
