import { describe, expect, it } from 'vitest';
import { tokenFromAuthorizationHeader } from './authorization-header.js';

describe('tokenFromAuthorizationHeader', () => {
  it('accepts the JWT and Bearer prefixes in any case', () => {
    expect(tokenFromAuthorizationHeader('JWT abc.def.ghi')).toBe('abc.def.ghi');
    expect(tokenFromAuthorizationHeader('Bearer abc.def.ghi')).toBe('abc.def.ghi');
    expect(tokenFromAuthorizationHeader('bearer   abc.def.ghi ')).toBe('abc.def.ghi');
  });

  it('ignores anything else', () => {
    for (const header of [
      undefined,
      '',
      'Basic dXNlcjpwYXNz',
      'abc.def.ghi',
      'JWT',
      'JWT a b',
      'Token abc',
    ]) {
      expect(tokenFromAuthorizationHeader(header)).toBeNull();
    }
  });
});
