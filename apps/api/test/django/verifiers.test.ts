import { describe, expect, it } from 'vitest';
import { DJANGO_SCHEMES, isProblem } from '../../src/modules/auth/django-hashers/django-hash.js';
import { parseDjangoHash } from '../../src/modules/auth/django-hashers/identify.js';
import { createPasswordHasher } from '../../src/modules/auth/password-hasher.js';
import { djangoVectors } from './vectors.js';

// Vectors: /usr/bin/python3 apps/api/test/django/make-vectors.py (Debian's Django 3.2; see vectors.ts).
describe('Django hash verifiers, against vectors made by Django itself', () => {
  it('covers every supported scheme', () => {
    expect(djangoVectors.django).toMatch(/^3\.2/);
    expect(new Set(djangoVectors.vectors.map((v) => v.scheme))).toEqual(new Set(DJANGO_SCHEMES));
  });

  for (const vector of djangoVectors.vectors) {
    it(`${vector.scheme}: ${vector.note}`, async () => {
      const parsed = parseDjangoHash(vector.encoded);
      if (isProblem(parsed)) throw new Error(`refused: ${parsed.problem}`);
      expect(parsed.scheme).toBe(vector.scheme);
      expect(await parsed.verify(vector.password)).toBe(true);
      expect(await parsed.verify(`x${vector.password}`)).toBe(false);
      // Plain bcrypt reads 72 bytes in Django too; everything else keeps the whole password.
      const truncates = vector.scheme === 'bcrypt' && Buffer.byteLength(vector.password) > 72;
      expect(await parsed.verify(vector.password.slice(0, -1))).toBe(truncates);
      expect(await parsed.verify(`${vector.password}x`)).toBe(truncates);
    });
  }

  it('refuses unsupported, malformed and out-of-bounds strings without echoing them', () => {
    const r = djangoVectors.refused;
    const problem = (encoded: string) => {
      const parsed = parseDjangoHash(encoded);
      return isProblem(parsed) ? parsed : null;
    };
    expect(problem(r.crypt!)).toEqual({ problem: 'unsupported_hasher', algorithm: 'crypt' });
    expect(problem(r.argon2d!)).toEqual({ problem: 'unsupported_hasher', algorithm: 'argon2d' });
    expect(problem(r.pbkdf2_out_of_bounds!)?.problem).toBe('hash_parameters_out_of_bounds');
    expect(problem(r.argon2_memory_out_of_bounds!)?.problem).toBe('hash_parameters_out_of_bounds');
    expect(problem(r.bcrypt_cost_out_of_bounds!)?.problem).toBe('hash_parameters_out_of_bounds');
    expect(problem(r.scrypt_n_not_power_of_two!)?.problem).toBe('hash_parameters_out_of_bounds');
    expect(problem(r.pbkdf2_bad_base64!)?.problem).toBe('hash_malformed');
    expect(problem(r.pbkdf2_missing_field!)?.problem).toBe('hash_malformed');
    expect(problem('scrypt$16384$salt$8$1$AAAA')?.problem).toBe('hash_malformed');
    expect(problem('argon2$argon2id$v=18$m=512,t=2,p=2$c2FsdHNhbHQ$aGFzaGhhc2g')?.problem).toBe(
      'hash_malformed',
    );
    expect(problem('A'.repeat(40))).toEqual({ problem: 'unsupported_hasher', algorithm: '(no prefix)' });
  });

  it('enforces the bounds again at verification: an out-of-bounds hash fails without being computed', async () => {
    const hasher = await createPasswordHasher({ cost: 4 });
    const result = await hasher.verify('whatever', djangoVectors.refused.pbkdf2_out_of_bounds!);
    expect(result).toEqual({ ok: false, needsUpgrade: false, scheme: 'unverifiable' });
    expect((await hasher.verify('x', djangoVectors.refused.unusable!)).ok).toBe(false);
  });

  it('marks every Django scheme for upgrade except bcrypt at the configured cost', async () => {
    const hasher = await createPasswordHasher({ cost: 4 });
    for (const vector of djangoVectors.vectors) {
      const result = await hasher.verify(vector.password, vector.encoded);
      expect(result.ok).toBe(true);
      const atCost = /^bcrypt(_sha256)?\$\$2.\$04\$/.test(vector.encoded);
      expect(result.needsUpgrade, vector.note).toBe(!atCost);
    }
  });
});

describe('the project hasher', () => {
  it('hashes over 72 bytes as bcrypt_sha256, never plain bcrypt, and verifies both natively', async () => {
    const hasher = await createPasswordHasher({ cost: 4 });
    const long = `${'a'.repeat(72)}-the-rest-counts`;
    const stored = await hasher.hash(long);
    expect(stored).toMatch(/^bcrypt_sha256\$\$2b\$04\$/);
    expect(await hasher.verify(long, stored)).toEqual({
      ok: true,
      needsUpgrade: false,
      scheme: 'bcrypt_sha256',
    });
    // Sharing the first 72 bytes is not enough, as it would be with plain bcrypt.
    expect((await hasher.verify(`${'a'.repeat(72)}-something-else`, stored)).ok).toBe(false);
    const short = await hasher.hash('short-enough');
    expect(short).toMatch(/^\$2b\$04\$/);
    expect(await hasher.verify('short-enough', short)).toEqual({
      ok: true,
      needsUpgrade: false,
      scheme: 'bcrypt',
    });
  });

  it('upgrades a native bcrypt at another cost', async () => {
    const at5 = await createPasswordHasher({ cost: 5 });
    const at4 = await createPasswordHasher({ cost: 4 });
    const stored = await at5.hash('cost-five');
    expect(await at4.verify('cost-five', stored)).toEqual({ ok: true, needsUpgrade: true, scheme: 'bcrypt' });
  });
});
