import { describe, expect, it } from 'vitest';
import { quickRatio, validatePassword } from './password-validation.js';

const codes = (password: string, user = {}) => validatePassword(password, user).map((error) => error.code);

describe('validatePassword (Django validators + bcrypt limit)', () => {
  it('accepts a reasonable password', () => {
    expect(codes('correct-Horse-42', { username: 'ada', email: 'ada@example.com' })).toEqual([]);
  });

  it('reports each validator with its own code', () => {
    expect(codes('Ab1!')).toContain('password_too_short');
    expect(codes('qwerty123')).toContain('password_too_common');
    expect(codes('  PassWord  ')).toContain('password_too_common');
    expect(codes('90817263544')).toEqual(['password_entirely_numeric']);
    expect(codes('x'.repeat(73))).toContain('password_too_long');
    expect(codes('é'.repeat(37))).toContain('password_too_long'); // 74 bytes in UTF-8
    expect(codes('é'.repeat(36))).not.toContain('password_too_long');
  });

  it('finds passwords too similar to the user attributes, as Django does', () => {
    expect(codes('grace.hopper1', { username: 'grace.hopper' })).toContain('password_too_similar');
    expect(codes('Hopper.Grace', { email: 'grace.hopper@navy.mil' })).toContain('password_too_similar');
    expect(codes('Lovelace1815', { lastName: 'Lovelace' })).toContain('password_too_similar');
    expect(codes('unrelated-Words-77', { username: 'ada', firstName: 'Ada' })).toEqual([]);
    // Django skips parts that are tiny next to a long password (length-ratio shortcut).
    expect(codes('a-very-long-and-unrelated-passphrase', { username: 'al' })).toEqual([]);
  });

  it('computes difflib quick_ratio', () => {
    expect(quickRatio('abcd', 'bcde')).toBeCloseTo(0.75);
    expect(quickRatio('', '')).toBe(1);
    expect(quickRatio('aaa', 'a')).toBeCloseTo(0.5);
  });
});
