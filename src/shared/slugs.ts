/**
 * What a slug is (a party, topic or item name in URLs and events): lowercase words joined by
 * hyphens. One pattern for the domain's payload rules, the JSON Schema of a body and the catalog.
 */
export const SLUG_PATTERN = '^[a-z0-9]+(-[a-z0-9]+)*$';
export const SLUG = new RegExp(SLUG_PATTERN);
