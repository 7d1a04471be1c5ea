// Where the built page is: the API serves `dist/index.html` as the page and `dist/assets/` beside it.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const pageDir = fileURLToPath(new URL('./dist/', import.meta.url));
export const pageHtml = fileURLToPath(new URL('./dist/index.html', import.meta.url));
export const assetsDir = fileURLToPath(new URL('./dist/assets/', import.meta.url));
/** URL path the page's assets are built for (Vite's `base`). */
export const assetsBase = '/graphiql/assets/';

export function isBuilt() {
  return existsSync(pageHtml);
}
