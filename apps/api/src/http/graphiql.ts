import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { type Request, Router } from 'express';

const require = createRequire(import.meta.url);

/** Browser assets come from installed packages: GraphiQL works offline and loads nothing from a CDN. */
const assets = {
  'react.js': join(dirname(require.resolve('react/package.json')), 'umd/react.production.min.js'),
  'react-dom.js': join(dirname(require.resolve('react-dom/package.json')), 'umd/react-dom.production.min.js'),
  'graphiql.js': join(dirname(require.resolve('graphiql/package.json')), 'graphiql.min.js'),
  'graphiql.css': join(dirname(require.resolve('graphiql/package.json')), 'graphiql.min.css'),
} as const;

const page = `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <title>GraphiQL</title>
    <link rel="stylesheet" href="/graphiql/graphiql.css" />
    <style>html, body, #graphiql { height: 100%; margin: 0; }</style>
  </head>
  <body>
    <div id="graphiql">Loading GraphiQL…</div>
    <script src="/graphiql/react.js"></script>
    <script src="/graphiql/react-dom.js"></script>
    <script src="/graphiql/graphiql.js"></script>
    <script>
      const fetcher = GraphiQL.createFetcher({ url: '/graphql' });
      ReactDOM.createRoot(document.getElementById('graphiql')).render(
        React.createElement(GraphiQL, { fetcher, headerEditorEnabled: true, shouldPersistHeaders: false }),
      );
    </script>
  </body>
</html>`;

/** The page's own policy: its one inline script and style by hash, everything else from this origin. */
const inlineHash = (tag: string) => {
  const body = new RegExp(`<${tag}>([\\s\\S]*?)</${tag}>`).exec(page)?.[1] ?? '';
  return `'sha256-${createHash('sha256').update(body).digest('base64')}'`;
};
const pagePolicy = [
  "default-src 'self'",
  `script-src 'self' ${inlineHash('script')}`,
  `style-src 'self' 'unsafe-inline'`,
  "img-src 'self' data:",
  "font-src 'self' data:",
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

export function graphiqlRoutes(): Router {
  const router = Router();
  for (const [name, file] of Object.entries(assets)) {
    // `dotfiles: 'allow'` because pnpm keeps packages under node_modules/.pnpm/.
    router.get(`/graphiql/${name}`, (_req, res) => res.sendFile(file, { maxAge: '1h', dotfiles: 'allow' }));
  }
  router.get('/graphql', (req, res, next) => {
    if (!wantsGraphiql(req)) return next();
    res.setHeader('content-security-policy', pagePolicy);
    res.type('html').send(page);
  });
  return router;
}
