import type { User } from './user.entity.js';

declare module '../base/graphql-context.js' {
  interface ContextExtensions {
    /** The signed-in user (active, with a valid access token), looked up once; null when anonymous. */
    viewer(): Promise<User | null>;
    /**
     * The signed-in user behind a `@login`/`@verified`/`@staff`/`@superuser` field, which has already
     * refused anonymous callers; throws UNAUTHENTICATED only if a field was wrongly marked `@public`.
     */
    requireViewer(): Promise<User>;
    /**
     * The stored language of the viewer, when this request has already looked the viewer up (it
     * never starts a lookup); null otherwise. Request errors fall back to it after Accept-Language.
     */
    viewerLanguage(): string | null;
  }
}
