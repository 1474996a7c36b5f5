/**
 * An event id: any UUID of versions 1-8 with the RFC variant, the nil or the max one. ajv-formats'
 * own "uuid" also takes a "urn:uuid:" prefix, which PostgreSQL refuses.
 */
const UUID =
  /^(?:[0-9a-f]{8}-[0-9a-f]{4}-[1-8][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}|00000000-0000-0000-0000-000000000000|ffffffff-ffff-ffff-ffff-ffffffffffff)$/i;

export function isUuid(value: string): boolean {
  return UUID.test(value);
}
