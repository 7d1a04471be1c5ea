import { createRequire } from 'node:module';
import { defineConfig } from 'vitest/config';

// Workspace packages export their TypeScript sources under this condition (the SDK's exports map), so
// tests run the sources without a build; installed from a tarball, the SDK resolves to its built dist/.
const SOURCE_CONDITION = '@gql-auth/source';

const require = createRequire(new URL('./apps/api/package.json', import.meta.url));

export default defineConfig({
  // Vite's defaults (defaultClientConditions / defaultServerConditions) behind ours.
  resolve: {
    conditions: [SOURCE_CONDITION, 'module', 'browser', 'development|production'],
    // One graphql for all: Node loads its CommonJS build for the libraries (graphql-http, graphql-tools),
    // so the source under test must get the same one, not the `module` build Vite would pick; else
    // `execute` called from our code refuses a schema built by the other copy.
    alias: [{ find: /^graphql$/, replacement: require.resolve('graphql') }],
  },
  ssr: { resolve: { conditions: [SOURCE_CONDITION, 'module', 'node', 'development|production'] } },
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
