import { STATED_STANCES, type EventType } from './events.js';

/**
 * Checks the type-specific payload of an event (docs/architecture.md, "Events"). Returns one
 * problem per bad field, named by its path ("payload.terms"), so the API and the seeds report the
 * same way.
 */
type Rule = (value: unknown) => string | undefined;

const text =
  (max: number): Rule =>
  (value) =>
    typeof value !== 'string' || value.trim() === ''
      ? 'must be a non-empty string'
      : value.length > max
        ? `must be at most ${max} characters`
        : undefined;
const slug: Rule = (value) =>
  typeof value !== 'string' || !/^[a-z0-9]+(-[a-z0-9]+)*$/.test(value)
    ? 'must be a lowercase slug like "us-third-site"'
    : undefined;
const flag: Rule = (value) => (typeof value !== 'boolean' ? 'must be true or false' : undefined);
/** Up to `max` slugs, each once. */
const slugs =
  (max: number): Rule =>
  (value) => {
    if (!Array.isArray(value)) return 'must be an array of party slugs';
    if (value.length === 0 || value.length > max) return `must name 1 to ${max} parties`;
    const bad = value.map((v) => slug(v)).find((problem) => problem !== undefined);
    if (bad) return `each ${bad.replace('"us-third-site"', '"czech-republic"')}`;
    return new Set(value).size === value.length ? undefined : 'must not name the same party twice';
  };
const oneOf =
  (values: readonly string[]): Rule =>
  (value) =>
    typeof value !== 'string' || !values.includes(value) ? `must be one of ${values.join(', ')}` : undefined;

interface Field {
  readonly rule: Rule;
  readonly required: boolean;
}
const required = (rule: Rule): Field => ({ rule, required: true });
const optional = (rule: Rule): Field => ({ rule, required: false });

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
  correction: {
    reason: required(text(2000)),
    changes: required((v) => (v && typeof v === 'object' && !Array.isArray(v) ? undefined : 'must be an object')),
  },
  retraction: { reason: required(text(2000)) },
  report: { note: optional(text(2000)) },
};

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
    const problem = field.rule(value);
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
