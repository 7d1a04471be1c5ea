/**
 * Extracts the access token from `Authorization: JWT <token>` (django-graphql-jwt's prefix) or
 * `Authorization: Bearer <token>`. Anything else is ignored: the request is anonymous.
 */
export function tokenFromAuthorizationHeader(header: string | undefined): string | null {
  if (!header) return null;
  const match = /^(?:JWT|Bearer)\s+([A-Za-z0-9._~+/=-]+)\s*$/i.exec(header.trim());
  return match?.[1] ?? null;
}
