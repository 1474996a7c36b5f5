import { parseInstant } from '../diplomacy/domain/time/dates.js';
import { Problem } from '../shared/problem.js';

/** A day or timestamp query parameter, resolved to the day it falls on (UTC). */
export function dayParam(name: string, value: string | undefined, fallback: string): string {
  if (value === undefined || value === '') return fallback;
  const parsed = parseInstant(value);
  if (!parsed.ok) throw Problem.field('invalid', name, parsed.problem);
  return parsed.value.slice(0, 10);
}

/** An instant query parameter; a bare day means the end of that day. */
export function instantParam(name: string, value: string | undefined): string | undefined {
  if (value === undefined || value === '') return undefined;
  const parsed = parseInstant(value);
  if (!parsed.ok) throw Problem.field('invalid', name, parsed.problem);
  return parsed.value;
}

export function today(): string {
  return new Date().toISOString().slice(0, 10);
}
