// The GraphiQL page, bundled by Vite into dist/: Monaco's workers come from this build (setup-workers/vite),
// not from a CDN, and the page talks only to /graphql on the origin that served it.
import 'graphiql/setup-workers/vite';
import 'graphiql/style.css';
import './page.css';
import { createGraphiQLFetcher } from '@graphiql/toolkit';
import { GraphiQL } from 'graphiql';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';

const fetcher = createGraphiQLFetcher({ url: new URL('/graphql', window.location.href).href });

createRoot(document.getElementById('graphiql')!).render(
  <StrictMode>
    {/* Headers (an Authorization token) stay in memory: they are credentials, not settings to keep. */}
    <GraphiQL fetcher={fetcher} shouldPersistHeaders={false} />
  </StrictMode>,
);
