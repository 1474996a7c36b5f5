import type { FieldProblem } from './problem.js';

/**
 * The input boundary for text (issue 16): what a string must be to be stored and served back.
 * PostgreSQL refuses NUL (U+0000) in text and jsonb, and a lone UTF-16 surrogate is not Unicode
 * (it cannot be written as UTF-8): both used to reach the database and come back as a 500, or,
 * in an import, stop it. Nesting is bounded so that no walk over a body (validation, canonical
 * JSON, jsonb) recurses without end.
 */
export const MAX_NESTING = 32;

/**
 * A name, title or sentence must hold more than white space ("   " names nothing): as a JSON
 * Schema pattern (\\S: white space as trim() sees it, ECMAScript's WhiteSpace and LineTerminator)
 * and as the same pattern for class-validator, with one problem to say.
 */
export const NOT_BLANK_PATTERN = '\\S';
export const NOT_BLANK = new RegExp(NOT_BLANK_PATTERN);
export const BLANK_PROBLEM = 'must not be blank (it holds only white space)';

const NUL = '\u0000';
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** Why a string cannot be stored, or undefined. */
export function textProblem(text: string): string | undefined {
  if (text.includes(NUL)) return 'must not contain the NUL character (U+0000)';
  if (LONE_SURROGATE.test(text)) return 'must be valid Unicode (it holds a lone UTF-16 surrogate)';
  return undefined;
}

/**
 * Every string and property name in a value that cannot be stored, named by its path
 * ("payload.terms", "targets"), and any nesting deeper than MAX_NESTING: one problem per field.
 */
export function unstorableText(value: unknown, path = ''): FieldProblem[] {
  const byField = new Map<string, FieldProblem>();
  for (const problem of walk(value, path, 0, [])) if (!byField.has(problem.field)) byField.set(problem.field, problem);
  return [...byField.values()];
}

function walk(value: unknown, path: string, depth: number, into: FieldProblem[]): FieldProblem[] {
  if (typeof value === 'string') {
    const problem = textProblem(value);
    if (problem) into.push({ field: path || 'body', problem });
    return into;
  }
  if (typeof value !== 'object' || value === null) return into;
  if (depth >= MAX_NESTING) {
    into.push({ field: path || 'body', problem: `must not be nested more than ${MAX_NESTING} levels deep` });
    return into;
  }
  if (Array.isArray(value)) {
    // A bad entry is named on its list, as the schema checks name it ("targets: each ...").
    for (const entry of value) walk(entry, path, depth + 1, into);
    return into;
  }
  for (const [key, field] of Object.entries(value)) {
    const at = path ? `${path}.${key}` : key;
    const problem = textProblem(key);
    if (problem) into.push({ field: path || 'body', problem: `has a property name that ${problem}` });
    else walk(field, at, depth + 1, into);
  }
  return into;
}
