import { Ajv, type AnySchemaObject, type ErrorObject } from 'ajv';
import addFormats from 'ajv-formats';
import type { FieldProblem } from '../../shared/problem.js';
import type { RecordEventBody } from './record-event.body.js';
import { isUuid } from '../../shared/ids.js';
import { BLANK_PROBLEM, NOT_BLANK_PATTERN } from '../../shared/text.js';
import {
  CAMEO_PATTERN,
  EVENT_KEY_MAX,
  EVENT_KEY_PATTERN,
  RECORD_EVENT_SCHEMA,
  SLUG_PATTERN,
} from './record-event.schema.js';

const EVENT_KEY = new RegExp(EVENT_KEY_PATTERN);

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

/** The formats a body's schema names, as this validator checks them (the API's tests check the documented schemas with them too). */
export function addBodyFormats(ajv: Ajv): void {
  ajv.addFormat('uuid', isUuid);
  // Where an event is named: its UUID, or its readable key (a slug) in the same topic.
  ajv.addFormat(
    'event-ref',
    (value: string) => isUuid(value) || (value.length <= EVENT_KEY_MAX && EVENT_KEY.test(value)),
  );
  addFormats.default(ajv, ['url']); // CommonJS seen from NodeNext: its default export is `.default`
}

// Compiled once: ajv turns the schema into plain JavaScript, about 2 µs per body.
// verbose: an error carries the schema of its field, to find that field's sentence.
const ajv = new Ajv({ allErrors: true, strict: true, verbose: true });
addBodyFormats(ajv);
ajv.addKeyword('example'); // OpenAPI's annotation for the docs: nothing to check
const isRecordEventBody = ajv.compile<RecordEventBody>(RECORD_EVENT_SCHEMA);

// The sentences class-validator used, which clients and the import report already show.
const PATTERN_PROBLEMS: Readonly<Record<string, string>> = {
  [SLUG_PATTERN]: 'must be a lowercase slug like "united-states"',
  [CAMEO_PATTERN]: 'must be a CAMEO code of 2 to 4 digits, as a string',
  [EVENT_KEY_PATTERN]:
    'must be lowercase words joined by hyphens, parts by dots, like "wp-2007-06-08.us-third-site-plan"',
};
const FORMAT_PROBLEMS: Readonly<Record<string, string>> = {
  uuid: 'must be a UUID',
  'event-ref': `must be an event's id (a UUID) or its key (lowercase words and dots, at most ${EVENT_KEY_MAX} characters)`,
  url: 'must be a URL address',
};
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
  // Text that is only white space; a text of the wrong type hears of its type.
  if (keyword === 'pattern' && params.pattern === NOT_BLANK_PATTERN) return BLANK_PROBLEM;
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
