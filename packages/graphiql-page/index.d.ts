/** The built page's folder (`dist/`). */
export declare const pageDir: string;
/** The page itself (`dist/index.html`). */
export declare const pageHtml: string;
/** Its hashed assets (`dist/assets/`), served under `assetsBase`. */
export declare const assetsDir: string;
/** URL path the page's assets are built for (Vite's `base`). */
export declare const assetsBase: '/graphiql/assets/';
/** Whether `vite build` has run (the bootstrap install runs it). */
export declare function isBuilt(): boolean;
