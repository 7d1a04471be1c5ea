import { readFileSync } from 'node:fs';
import { assetsBase, assetsDir, isBuilt, pageHtml } from '@gql-auth/graphiql-page';
import express, { type Request, Router } from 'express';
import type { Logger } from '../logger.js';

/**
 * The page's own policy: everything from this origin. The page is a static build
 * (packages/graphiql-page: no inline script); Monaco sets inline styles, and its workers are files
 * of the same build.
 */
const pagePolicy = [
  "default-src 'self'",
  "script-src 'self'",
  "worker-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "frame-ancestors 'none'",
  "base-uri 'self'",
  "form-action 'self'",
].join('; ');

/** A browser asking for `/graphql` as a page (not a GET query) gets GraphiQL. */
export function wantsGraphiql(req: Request): boolean {
  return (
    req.method === 'GET' && req.accepts(['application/json', 'text/html']) === 'text/html' && !req.query.query
  );
}

/**
 * GraphiQL, when enabled (GRAPHIQL, on by default in development): the page built by
 * packages/graphiql-page (the bootstrap install builds it), served from local files. The API itself
 * has no React or GraphiQL at run time. Without a build the page says how to make one.
 */
export function graphiqlRoutes(logger: Logger): Router {
  const router = Router();
  const built = isBuilt();
  if (!built) {
    logger.warn(
      { package: '@gql-auth/graphiql-page' },
      'GraphiQL is enabled but its page is not built: run `npm run build` (or `node scripts/bootstrap.mjs install`)',
    );
  }
  const page = built ? readFileSync(pageHtml, 'utf8') : null;
  // File names carry a content hash: cacheable for good, a new build changes them.
  router.use(
    assetsBase,
    express.static(assetsDir, { immutable: true, maxAge: '365d', index: false, fallthrough: false }),
  );
  router.get('/graphql', (req, res, next) => {
    if (!wantsGraphiql(req)) return next();
    res.setHeader('content-security-policy', pagePolicy);
    if (page === null) {
      res
        .status(503)
        .type('text')
        .send('GraphiQL is not built: run `npm run build` or `node scripts/bootstrap.mjs install`.');
      return;
    }
    res.type('html').send(page);
  });
  return router;
}
