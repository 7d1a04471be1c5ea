import { defineConfig } from 'vitest/config';

// Workspace packages export their TypeScript sources under this condition (the SDK's exports map), so
// tests run the sources without a build; installed from a tarball, the SDK resolves to its built dist/.
const SOURCE_CONDITION = '@gql-auth/source';

export default defineConfig({
  // Vite's defaults (defaultClientConditions / defaultServerConditions) behind ours.
  resolve: { conditions: [SOURCE_CONDITION, 'module', 'browser', 'development|production'] },
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
