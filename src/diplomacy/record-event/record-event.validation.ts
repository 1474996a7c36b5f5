import { Ajv, type AnySchemaObject, type ErrorObject } from 'ajv';
import addFormats from 'ajv-formats';
import type { FieldProblem } from '../../shared/problem.js';
import type { RecordEventBody } from './record-event.body.js';
import { CAMEO_PATTERN, RECORD_EVENT_SCHEMA, SLUG_PATTERN } from './record-event.schema.js';

export type CheckedBody =
  | { readonly ok: true; readonly body: RecordEventBody }
  | { readonly ok: false; readonly problems: readonly FieldProblem[] };

/**
 * Checks a parsed POST /events body (or bulk import line) against RECORD_EVENT_SCHEMA: the body,
 * typed, or one problem per bad field, every bad field reported.
 */
export function checkRecordEventBody(json: unknown): CheckedBody {
  if (isRecordEventBody(json)) return { ok: true, body: json };
  return { ok: false, problems: problemsOf(isRecordEventBody.errors ?? []) };
}

// Compiled once: ajv turns the schema into plain JavaScript, about 2 µs per body.
// verbose: an error carries the schema of its field, to find that field's sentence.
const ajv = new Ajv({ allErrors: true, strict: true, verbose: true });
// ajv-formats' own "uuid" also takes a "urn:uuid:" prefix, which PostgreSQL refuses; this is the
// UUID class-validator accepted (any version 1-8, the RFC variant, nil and max).
ajv.addFormat(
  'uuid',
  /^(?:[0-9a-f]{8}-[0-9a-f]{4}-[1-8][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}|00000000-0000-0000-0000-000000000000|ffffffff-ffff-ffff-ffff-ffffffffffff)$/i,
);
addFormats.default(ajv, ['url']); // CommonJS seen from NodeNext: its default export is `.default`
ajv.addKeyword('example'); // OpenAPI's annotation for the docs: nothing to check
const isRecordEventBody = ajv.compile<RecordEventBody>(RECORD_EVENT_SCHEMA);

// The sentences class-validator used, which clients and the import report already show.
const PATTERN_PROBLEMS: Readonly<Record<string, string>> = {
  [SLUG_PATTERN]: 'must be a lowercase slug like "united-states"',
  [CAMEO_PATTERN]: 'must be a CAMEO code of 2 to 4 digits, as a string',
};
const FORMAT_PROBLEMS: Readonly<Record<string, string>> = { uuid: 'must be a UUID', url: 'must be a URL address' };
const TYPE_NAMES: Readonly<Record<string, string>> = {
  string: 'a string',
  integer: 'an integer number',
  object: 'an object',
  array: 'an array',
};

function problemsOf(errors: readonly ErrorObject[]): FieldProblem[] {
  // One problem per field, the first ajv found (too long and not a URL, say).
  const byField = new Map<string, FieldProblem>();
  for (const error of errors) {
    if (error.keyword === 'if') continue; // "must match then": the field's own error says what
    const problem = problemOf(error);
    if (!byField.has(problem.field)) byField.set(problem.field, problem);
  }
  return [...byField.values()];
}

function problemOf(error: ErrorObject): FieldProblem {
  const path = error.instancePath.split('/').slice(1); // "/source/url" -> ["source", "url"]
  const { params } = error;
  if (error.keyword === 'required')
    return { field: [...path, params.missingProperty].join('.'), problem: 'is required' };
  if (error.keyword === 'additionalProperties') {
    return {
      field: [...path, params.additionalProperty].join('.'),
      problem: `property ${params.additionalProperty} should not exist`,
    };
  }
  const problem = sentenceFor(error);
  // A bad entry is named on its list, as class-validator did: "targets: each target must be ...".
  const last = path.at(-1);
  if (last !== undefined && /^\d+$/.test(last)) {
    const list = path.slice(0, -1);
    return { field: list.join('.'), problem: `each ${list.at(-1)!.replace(/s$/, '')} ${problem}` };
  }
  return { field: path.join('.') || 'body', problem };
}

/** class-validator's sentence for the rule ajv names; ajv's own for a rule the schema does not use today. */
function sentenceFor({ keyword, params, parentSchema, message = 'is not valid' }: ErrorObject): string {
  // A field with a rule of its own hears it whatever is wrong, as with class-validator ("cameo": 36).
  const rule = ruleOf(parentSchema);
  if (rule && (keyword === 'type' || keyword === 'enum' || keyword === 'pattern' || keyword === 'format')) return rule;
  switch (keyword) {
    case 'type':
      return `must be ${TYPE_NAMES[String(params.type)] ?? String(params.type)}`;
    case 'minLength':
      return `must be longer than or equal to ${params.limit} characters`;
    case 'maxLength':
      return `must be shorter than or equal to ${params.limit} characters`;
    case 'minimum':
      return `must not be less than ${params.limit}`;
    case 'maxItems':
      return `must contain no more than ${params.limit} elements`;
    case 'uniqueItems':
      return 'must not name the same party twice';
    default:
      return message;
  }
}

/** The rule of an event type, slug, UUID, url or CAMEO code field, in words. */
function ruleOf(field: AnySchemaObject | undefined): string | undefined {
  const { enum: values, pattern, format } = (field ?? {}) as { enum?: unknown[]; pattern?: string; format?: string };
  if (values) return `must be one of the following values: ${values.join(', ')}`;
  return (pattern && PATTERN_PROBLEMS[pattern]) || (format && FORMAT_PROBLEMS[format]) || undefined;
}
