/** Where a request came from, as the domain records it (sessions, audit). Never an HTTP object. */
export interface ClientMeta {
  userAgent: string | null;
  ip: string | null;
}
