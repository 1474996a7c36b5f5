/**
 * An event id: any UUID of versions 1-8 with the RFC variant, the nil or the max one. ajv-formats'
 * own "uuid" also takes a "urn:uuid:" prefix, which PostgreSQL refuses.
 */
const UUID =
  /^(?:[0-9a-f]{8}-[0-9a-f]{4}-[1-8][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}|00000000-0000-0000-0000-000000000000|ffffffff-ffff-ffff-ffff-ffffffffffff)$/i;

export function isUuid(value: string): boolean {
  return UUID.test(value);
}

/** What PostgreSQL's uuid type parses (any 8-4-4-4-12 hex): a value outside it makes a query throw. */
const UUID_SHAPED = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isUuidShaped(value: string): boolean {
  return UUID_SHAPED.test(value);
}
