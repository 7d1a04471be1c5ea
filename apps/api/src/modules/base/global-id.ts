/** Relay global ids, graphene-compatible: base64 of `<TypeName>:<pk>`. */
export function toGlobalId(type: string, id: number | string): string {
  return Buffer.from(`${type}:${id}`, 'utf8').toString('base64');
}

/** Decodes a global id of the expected type; null when it is malformed or of another type. */
export function fromGlobalId(globalId: string, expectedType: string): number | null {
  const decoded = Buffer.from(globalId, 'base64').toString('utf8');
  const separator = decoded.indexOf(':');
  if (separator < 0 || decoded.slice(0, separator) !== expectedType) return null;
  const pk = decoded.slice(separator + 1);
  return /^[1-9]\d{0,9}$/.test(pk) ? Number(pk) : null;
}
