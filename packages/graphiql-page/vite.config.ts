import { defineConfig } from 'vite';

// A static build: the API serves dist/index.html at GET /graphql (for browsers) and dist/assets/ under
// /graphiql/assets/, all from its own origin. Monaco's workers are emitted as files there too.
export default defineConfig({
  base: '/graphiql/',
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // Monaco and GraphiQL are large by nature; the page is a development tool, not the product.
    chunkSizeWarningLimit: 6_000,
    reportCompressedSize: false,
    rolldownOptions: {
      // GraphiQL's Radix UI modules start with "use client", meaningless outside server components.
      onwarn(warning, warn) {
        if (warning.code === 'MODULE_LEVEL_DIRECTIVE') return;
        warn(warning);
      },
    },
  },
});
