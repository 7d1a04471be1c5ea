import type { Locale } from './locale.js';

/** Where a request came from, as the domain records it (sessions, audit). Never an HTTP object. */
export interface ClientMeta {
  userAgent: string | null;
  ip: string | null;
  /** The supported locale the request's Accept-Language asks for; null/absent: none we have. */
  locale?: Locale | null;
}
