import { describe, expect, it } from 'vitest';
import { fromGlobalId, toGlobalId } from './global-id.js';

describe('Relay global ids', () => {
  it('round-trips graphene-compatible ids', () => {
    expect(toGlobalId('UserNode', 42)).toBe(Buffer.from('UserNode:42').toString('base64'));
    expect(fromGlobalId(toGlobalId('UserNode', 42), 'UserNode')).toBe(42);
  });

  it('rejects other types and malformed ids', () => {
    expect(fromGlobalId(toGlobalId('Group', 42), 'UserNode')).toBeNull();
    for (const bad of [
      '',
      'garbage',
      toGlobalId('UserNode', 'abc'),
      toGlobalId('UserNode', '0'),
      toGlobalId('UserNode', '-1'),
    ]) {
      expect(fromGlobalId(bad, 'UserNode')).toBeNull();
    }
  });
});
