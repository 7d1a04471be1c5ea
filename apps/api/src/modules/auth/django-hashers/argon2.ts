import {
  BOUNDS,
  type DjangoHashParse,
  decodeBase64,
  malformed,
  outOfBounds,
  strictInt,
  within,
} from './django-hash.js';

/**
 * `argon2` + an argon2-cffi PHC string: `argon2$argon2id$v=19$m=102400,t=2,p=8$<salt>$<hash>`.
 * Django 1.10-3.1 wrote argon2i; very old argon2-cffi wrote `v=16` or no `v=` at all.
 */
export function parseArgon2(encoded: string): DjangoHashParse {
  const phc = encoded.slice('argon2'.length);
  const parts = phc.split('$');
  // ['', variety, v=?, params, salt, hash] or, without a version, one field fewer.
  if (parts[0] !== '' || (parts.length !== 6 && parts.length !== 5)) return malformed('argon2');
  const variety = parts[1]!;
  if (variety === 'argon2d') return { problem: 'unsupported_hasher', algorithm: 'argon2d' };
  if (variety !== 'argon2i' && variety !== 'argon2id') return malformed('argon2');
  const [version, paramText, salt, hash] = parts.length === 6 ? parts.slice(2) : [null, ...parts.slice(2)];
  if (version !== null && version !== 'v=19' && version !== 'v=16') return malformed('argon2');
  const match = /^m=(\d+),t=(\d+),p=(\d+)$/.exec(paramText!);
  if (!match || !decodeBase64(salt!, false) || !decodeBase64(hash!, false)) return malformed('argon2');
  const [m, t, p] = match.slice(1).map(strictInt) as [number, number, number];
  if (Number.isNaN(m) || Number.isNaN(t) || Number.isNaN(p)) return malformed('argon2');
  if (
    !within(m, BOUNDS.argon2MemoryKiB) ||
    !within(t, BOUNDS.argon2Time) ||
    !within(p, BOUNDS.argon2Parallelism)
  ) {
    return outOfBounds('argon2');
  }
  // Argon2 itself needs at least 8 KiB per lane; below that the string cannot have been made.
  if (m < 8 * p) return malformed('argon2');
  return {
    scheme: 'argon2',
    params: `${variety},m=${m},t=${t},p=${p}`,
    // A napi task on the libuv pool: at most UV_THREADPOOL_SIZE (4) argon2 memories at once.
    // Loaded at the first argon2 sign-in: only an imported Django project has such hashes.
    verify: async (password) => (await import('@node-rs/argon2')).verify(phc, password).catch(() => false),
  };
}
