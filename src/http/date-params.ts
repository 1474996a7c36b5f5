import { parseInstant } from '../diplomacy/domain/time/dates.js';
import { Problem } from '../shared/problem.js';

/**
 * A given date parameter left blank (`knownAt=`): a 400 naming it, never the answer without it.
 * A blank is the commonest way to send a date wrong, and answering as of today, or as if nothing
 * were asked of what was known, would be an answer to another question.
 */
function refuseBlank(name: string, value: string): void {
  if (value.trim() === '')
    throw Problem.field('invalid', name, 'must not be empty: give a date or leave the parameter out');
}

/** A day or timestamp query parameter, resolved to the day it falls on (UTC); `fallback` only when absent. */
export function dayParam(name: string, value: string | undefined, fallback: string): string {
  if (value === undefined) return fallback;
  refuseBlank(name, value);
  const parsed = parseInstant(value);
  if (!parsed.ok) throw Problem.field('invalid', name, parsed.problem);
  return parsed.value.slice(0, 10);
}

/**
 * The days `from` and `to` of a listing, each optional and inclusive; `to` before `from` is a 400
 * naming `to` (an empty answer would read as "nothing happened").
 */
export function dayRange(from: string | undefined, to: string | undefined): { from?: string; to?: string } {
  const first = from !== undefined ? dayParam('from', from, '') : undefined;
  const last = to !== undefined ? dayParam('to', to, '') : undefined;
  if (first && last && last < first) throw Problem.field('invalid', 'to', `must not be before from (${first})`);
  return { ...(first ? { from: first } : {}), ...(last ? { to: last } : {}) };
}

/** An instant query parameter; a bare day means the end of that day. */
export function instantParam(name: string, value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  refuseBlank(name, value);
  const parsed = parseInstant(value);
  if (!parsed.ok) throw Problem.field('invalid', name, parsed.problem);
  return parsed.value;
}

export function today(): string {
  return new Date().toISOString().slice(0, 10);
}
