import { serverAudits } from 'graphql-http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestInstance, type TestInstance } from './support/test-instance.js';

/** graphql-http's own GraphQL-over-HTTP conformance audits, run against our real app. */
describe('GraphQL over HTTP conformance', () => {
  let api: TestInstance;
  beforeAll(async () => {
    api = await createTestInstance('embedded');
  });
  afterAll(async () => {
    await api?.close();
  });

  const audits = serverAudits({ url: () => `${api.url}/graphql` });
  for (const audit of audits) {
    it(audit.name, async () => {
      const result = await audit.fn();
      // MUST audits have to pass; SHOULD/MAY ones may warn but never error.
      if (audit.name.startsWith('MUST'))
        expect({ name: audit.name, status: result.status }).toEqual({ name: audit.name, status: 'ok' });
      else expect(result.status, result.status === 'error' ? result.reason : '').not.toBe('error');
    });
  }
});
