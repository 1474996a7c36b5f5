import { SLUG, SLUG_PATTERN } from '../../../shared/slugs.js';
import { NOT_BLANK_PATTERN } from '../../../shared/text.js';
import { STATED_STANCES, type EventType } from './events.js';

/**
 * Checks the type-specific payload of an event (docs/architecture.md, "Events"). Returns one
 * problem per bad field, named by its path ("payload.terms"), so the API and the seeds report the
 * same way.
 */
type Rule = (value: unknown) => string | undefined;

/** A JSON Schema (2020-12) as plain data: what the API documents a field to be. */
export type JsonSchema = Readonly<Record<string, unknown>>;

/**
 * A field's rule and the JSON Schema that accepts exactly the values the rule accepts, written
 * side by side so that neither changes alone (record-event.schema.spec.ts compares them on
 * generated payloads). The API documents each type's payload with the schemas (eventBodySchema).
 */
interface FieldRule {
  readonly check: Rule;
  readonly schema: JsonSchema;
}

/** Length in characters (code points), as JSON Schema's maxLength counts them for every field of a body. */
const characters = (value: string) => [...value].length;
const text = (max: number): FieldRule => ({
  check: (value) =>
    typeof value !== 'string' || value.trim() === ''
      ? 'must be a non-empty string'
      : value.length > max && characters(value) > max
        ? `must be at most ${max} characters`
        : undefined,
  schema: { type: 'string', minLength: 1, maxLength: max, pattern: NOT_BLANK_PATTERN },
});
const slug: FieldRule = {
  check: (value) =>
    typeof value !== 'string' || !SLUG.test(value) ? 'must be a lowercase slug like "us-third-site"' : undefined,
  schema: { type: 'string', pattern: SLUG_PATTERN },
};
const flag: FieldRule = {
  check: (value) => (typeof value !== 'boolean' ? 'must be true or false' : undefined),
  schema: { type: 'boolean' },
};
/** Up to `max` slugs, each once. */
const slugs = (max: number): FieldRule => ({
  check: (value) => {
    if (!Array.isArray(value)) return 'must be an array of party slugs';
    if (value.length === 0 || value.length > max) return `must name 1 to ${max} parties`;
    const bad = value.map((v) => slug.check(v)).find((problem) => problem !== undefined);
    if (bad) return `each ${bad.replace('"us-third-site"', '"czech-republic"')}`;
    return new Set(value).size === value.length ? undefined : 'must not name the same party twice';
  },
  schema: { type: 'array', minItems: 1, maxItems: max, uniqueItems: true, items: slug.schema },
});
const oneOf = (values: readonly string[]): FieldRule => ({
  check: (value) =>
    typeof value !== 'string' || !values.includes(value) ? `must be one of ${values.join(', ')}` : undefined,
  schema: { type: 'string', enum: [...values] },
});
const object: FieldRule = {
  check: (value) => (value && typeof value === 'object' && !Array.isArray(value) ? undefined : 'must be an object'),
  schema: { type: 'object' },
};

interface Field extends FieldRule {
  readonly required: boolean;
}
const required = (rule: FieldRule): Field => ({ ...rule, required: true });
const optional = (rule: FieldRule): Field => ({ ...rule, required: false });

export const PAYLOAD_FIELDS: Readonly<Record<EventType, Readonly<Record<string, Field>>>> = {
  proposal: {
    item: required(slug),
    itemTitle: optional(text(200)),
    itemParent: optional(slug),
    terms: required(text(2000)),
  },
  rejection: { reason: optional(text(2000)) },
  concession: { item: optional(slug), terms: required(text(2000)) },
  freeze_demand: { item: optional(slug), action: required(text(500)), condition: optional(text(500)) },
  demand: { item: optional(slug), demand: required(text(2000)) },
  threat: { item: optional(slug), counterMeasure: required(text(500)), condition: optional(text(500)) },
  withdrawal: { reason: optional(text(2000)) },
  agreement: {
    item: optional(slug),
    terms: optional(text(2000)),
    parties: optional(slugs(20)),
    signed: optional(flag),
  },
  endorsement: { item: required(slug) },
  statement: { item: optional(slug), stance: required(oneOf(STATED_STANCES)), reason: optional(text(2000)) },
  action: { item: optional(slug), act: required(text(500)) },
  correction: { reason: required(text(2000)), changes: required(object) },
  retraction: { reason: required(text(2000)) },
  report: { note: optional(text(2000)) },
};

/**
 * The JSON Schema of a type's payload, made from the same fields as checkPayload: unknown fields
 * refused, required ones present and not null, an optional one null or absent (both mean "not given").
 */
export function payloadSchema(type: EventType): JsonSchema {
  const fields = Object.entries(PAYLOAD_FIELDS[type]);
  return {
    type: 'object',
    additionalProperties: false,
    required: fields.filter(([, field]) => field.required).map(([name]) => name),
    properties: Object.fromEntries(
      fields.map(([name, field]) => [
        name,
        field.required ? field.schema : { anyOf: [field.schema, { type: 'null' }] },
      ]),
    ),
  };
}

export interface PayloadProblem {
  readonly field: string;
  readonly problem: string;
}

export function checkPayload(type: EventType, payload: unknown, path = 'payload'): PayloadProblem[] {
  if (!payload || typeof payload !== 'object' || Array.isArray(payload))
    return [{ field: path, problem: 'must be an object' }];
  const fields = PAYLOAD_FIELDS[type];
  const given = payload as Record<string, unknown>;
  const problems: PayloadProblem[] = [];
  for (const [name, field] of Object.entries(fields)) {
    const value = Object.hasOwn(given, name) ? given[name] : undefined; // never an inherited "constructor"
    if (value === undefined || value === null) {
      if (field.required) problems.push({ field: `${path}.${name}`, problem: `is required for a ${type}` });
      continue;
    }
    const problem = field.check(value);
    if (problem) problems.push({ field: `${path}.${name}`, problem });
  }
  for (const name of Object.keys(given)) {
    if (!Object.hasOwn(fields, name)) {
      problems.push({
        field: `${path}.${name}`,
        problem: `is not a field of a ${type} payload (expected: ${Object.keys(fields).join(', ')})`,
      });
    }
  }
  return problems;
}
