import { createRequire } from 'node:module';
import { defineConfig } from 'vitest/config';

const require = createRequire(new URL('./apps/api/package.json', import.meta.url));

export default defineConfig({
  // One graphql for all: Node loads its CommonJS build for the libraries (graphql-http, graphql-tools),
  // so the source under test must get the same one, not the `module` build Vite would pick; else
  // `execute` called from our code refuses a schema built by the other copy.
  resolve: { alias: [{ find: /^graphql$/, replacement: require.resolve('graphql') }] },
  test: {
    include: [
      'apps/*/src/**/*.test.ts',
      'apps/*/test/**/*.test.ts',
      'packages/*/src/**/*.test.ts',
      'packages/*/test/**/*.test.ts',
      'scripts/**/*.test.ts',
    ],
    exclude: ['**/node_modules/**', '**/dist/**'],
    // Each file builds its own databases and Redis prefix; forks keep native modules and PGlite apart.
    pool: 'forks',
    testTimeout: 30_000,
    hookTimeout: 120_000,
    reporters: ['default'],
  },
});
