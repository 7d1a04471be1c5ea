/// <reference types="vite/client" />

interface ImportMetaEnv {
  /** `bearer` (default: tokens in localStorage) or `cookie` (the API must run with COOKIE_MODE=true). */
  readonly VITE_AUTH_MODE?: 'bearer' | 'cookie';
  /** Where the dev server forwards `/graphql` (default http://127.0.0.1:4000). */
  readonly VITE_API_URL?: string;
}
