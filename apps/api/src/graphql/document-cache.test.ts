import { createRequire } from 'node:module';

const { buildSchema, GraphQLError, specifiedRules } = createRequire(import.meta.url)(
  'graphql',
) as typeof import('graphql');

import { describe, expect, it } from 'vitest';
import { createDocumentCache } from './document-cache.js';

const schema = buildSchema('type Query { a: Int, b: String }');

describe('document cache', () => {
  it('returns the same parsed document for the same text and validates it once', () => {
    const cache = createDocumentCache();
    const first = cache.parse('{ a }');
    expect(cache.parse('{ a }')).toBe(first);
    expect(cache.parse('{ b }')).not.toBe(first);
    const errors = cache.validate(schema, first, specifiedRules);
    expect(errors).toEqual([]);
    expect(cache.validate(schema, first, specifiedRules)).toBe(errors);
  });

  it('remembers validation errors and never caches what fails to parse', () => {
    const cache = createDocumentCache();
    const bad = cache.parse('{ nope }');
    expect(cache.validate(schema, bad, specifiedRules)[0]?.message).toMatch(/nope/);
    expect(cache.validate(schema, bad, specifiedRules)[0]?.message).toMatch(/nope/);
    expect(() => cache.parse('{ a')).toThrow();
    expect(cache.size()).toBe(1);
  });

  it('stays bounded, evicting the least recently used text', () => {
    const cache = createDocumentCache();
    const kept = cache.parse('{ a }');
    for (let i = 0; i < 600; i++) {
      cache.parse(`{ a${i}: a }`);
      if (i % 100 === 0) cache.parse('{ a }'); // used now and then: never the oldest
    }
    expect(cache.size()).toBe(500);
    expect(cache.parse('{ a }')).toBe(kept);
    expect(cache.parse('{ a0: a }')).not.toBe(undefined);
    // A very long document is answered but not remembered.
    const long = `{ ${'a '.repeat(5000)}}`;
    const sizeBefore = cache.size();
    cache.parse(long);
    expect(cache.size()).toBe(sizeBefore);
  });
});

describe('document cache and per-request rules', () => {
  it('caches the document-only rules and runs any other rule every time', () => {
    const cache = createDocumentCache();
    const document = cache.parse('{ a }');
    let runs = 0;
    const perRequest = (fail: boolean) => (context: import('graphql').ValidationContext) => ({
      OperationDefinition() {
        runs++;
        if (fail) context.reportError(new GraphQLError('bad variables'));
      },
    });
    expect(cache.validate(schema, document, [...specifiedRules, perRequest(false)])).toEqual([]);
    expect(
      cache.validate(schema, document, [...specifiedRules, perRequest(true)]).map((e) => e.message),
    ).toEqual(['bad variables']);
    expect(cache.validate(schema, document, [...specifiedRules, perRequest(false)])).toEqual([]);
    expect(runs).toBe(3);
  });
});
