import react from '@vitejs/plugin-react';
import { defaultClientConditions, defineConfig, loadEnv } from 'vite';

// The app calls `/graphql` on its own origin; in development and preview Vite forwards it to the API,
// so bearer and cookie mode both work without CORS.
export default defineConfig(({ mode }) => {
  const env = loadEnv(mode, process.cwd(), 'VITE_');
  const proxy = { '/graphql': { target: env.VITE_API_URL ?? 'http://127.0.0.1:4000', changeOrigin: false } };
  return {
    plugins: [react()],
    // The SDK's sources in the workspace (its exports map's source condition): no SDK build needed.
    resolve: { conditions: ['@gql-auth/source', ...defaultClientConditions] },
    server: { host: '127.0.0.1', port: 5173, proxy },
    preview: { host: '127.0.0.1', port: 4173, proxy },
    build: { outDir: 'dist', sourcemap: true },
  };
});
