import { createClient, localStorageStorage } from '@gql-auth/sdk';

/**
 * The one SDK client of the app. `/graphql` on the app's own origin (the dev server and the test
 * server forward it to the API); tokens in localStorage so a reload keeps the user signed in.
 */
export const client = createClient({
  url: '/graphql',
  mode: import.meta.env.VITE_AUTH_MODE ?? 'bearer',
  storage: localStorageStorage({ key: 'gql-auth.example.session' }),
  // The browser's languages: the API answers error messages in them and mails in the first it has.
  acceptLanguage: typeof navigator === 'undefined' ? undefined : navigator.languages.join(','),
});
