import { describe, expect, it } from 'vitest';
import { parseCookies } from './cookies.js';

describe('Cookie header parsing', () => {
  it('parses Cookie headers leniently', () => {
    const cookies = parseCookies('a=1; b="two"; bad; c=%E2%9C%93; a=shadowed; =x');
    expect(Object.fromEntries(cookies)).toEqual({ a: '1', b: 'two', c: '✓' });
    expect(parseCookies(undefined).size).toBe(0);
  });
});
