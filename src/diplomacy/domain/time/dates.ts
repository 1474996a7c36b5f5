import type { Occurred, OccurredInput } from '../events/events.js';

/**
 * Dates as the domain sees them: whole UTC days written YYYY-MM-DD, which compare
 * correctly as strings. Parsing returns an error message instead of throwing.
 */
export type Parsed<T> = { ok: true; value: T } | { ok: false; problem: string };

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;
const MONTH = /^(\d{4})-(\d{2})$/;
const YEAR = /^(\d{4})$/;

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0');
}

/** Years a date may have: PostgreSQL's date and the ISO 8601 forms used here both end at 9999, and there is no year 0. */
const FIRST_YEAR = 1;
const LAST_YEAR = 9999;
const FIRST_INSTANT = Date.parse('0001-01-01T00:00:00.000Z');
const LAST_INSTANT = Date.parse('9999-12-31T23:59:59.999Z');
const outsideYears = (text: string) => `"${text}" is outside the years ${FIRST_YEAR} to ${LAST_YEAR}`;

/** A date, month or year as the interval of days it covers. */
function parsePeriod(text: string): Parsed<{ from: string; to: string; precision: 'day' | 'month' | 'year' }> {
  const year = Number(/^\d{4}/.exec(text)?.[0]);
  if (year < FIRST_YEAR) return { ok: false, problem: outsideYears(text) };
  let m = DAY.exec(text);
  if (m) {
    const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
    if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) {
      return { ok: false, problem: `"${text}" is not a real calendar date` };
    }
    return { ok: true, value: { from: text, to: text, precision: 'day' } };
  }
  m = MONTH.exec(text);
  if (m) {
    const [year, month] = [Number(m[1]), Number(m[2])];
    if (month < 1 || month > 12) return { ok: false, problem: `"${text}" is not a real month` };
    return {
      ok: true,
      value: { from: `${text}-01`, to: `${text}-${pad(daysInMonth(year, month))}`, precision: 'month' },
    };
  }
  m = YEAR.exec(text);
  if (m) return { ok: true, value: { from: `${text}-01-01`, to: `${text}-12-31`, precision: 'year' } };
  return { ok: false, problem: `"${text}" is not a date: use YYYY-MM-DD, YYYY-MM or YYYY` };
}

/**
 * When an event happened, with honest precision: "2007-06-07" (a day), "2007-07" (a month),
 * "2007" (a year), or an interval "2007-10-12/2007-10-13" (ISO 8601; "2007-10-12..2007-10-13" too).
 */
export function parseOccurred(text: string): Parsed<Occurred> {
  const parts = text.includes('/') ? text.split('/') : text.split('..');
  if (parts.length > 2) return { ok: false, problem: `"${text}" has more than two ends` };
  if (parts.length === 1) {
    const period = parsePeriod(text.trim());
    return period;
  }
  const start = parsePeriod(parts[0].trim());
  if (!start.ok) return start;
  const end = parsePeriod(parts[1].trim());
  if (!end.ok) return end;
  if (start.value.from > end.value.to) {
    return { ok: false, problem: `the interval "${text}" ends before it starts` };
  }
  return { ok: true, value: { from: start.value.from, to: end.value.to, precision: 'interval' } };
}

/** The date text of an `occurred` as sent (with or without its basis). */
export const occurredDate = (input: OccurredInput): string => (typeof input === 'string' ? input : input.date);

/** An `occurred` as sent: its date parsed, with its basis (if any) kept beside it. */
export function parseOccurredInput(input: OccurredInput): Parsed<Occurred> {
  const parsed = parseOccurred(occurredDate(input));
  if (!parsed.ok || typeof input === 'string' || input.basis === undefined) return parsed;
  return { ok: true, value: { ...parsed.value, basis: input.basis } };
}

/** An `occurred` as it is sent again (parseOccurredInput's inverse): its date text, with its basis if it has one. */
export function occurredInput(occurred: Occurred): OccurredInput {
  return occurred.basis === undefined
    ? formatOccurred(occurred)
    : { date: formatOccurred(occurred), basis: occurred.basis };
}

/** Writes an occurred interval back in the compact input form. */
export function formatOccurred(occurred: Occurred): string {
  switch (occurred.precision) {
    case 'day':
      return occurred.from;
    case 'month':
      return occurred.from.slice(0, 7);
    case 'year':
      return occurred.from.slice(0, 4);
    case 'interval':
      return `${occurred.from}/${occurred.to}`;
  }
}

const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/;

/**
 * An instant given as a day ("2007-06-08", meaning the end of that UTC day, so everything
 * reported that day counts) or a full ISO 8601 timestamp.
 */
export function parseInstant(text: string, dayMeans: 'start' | 'end' = 'end'): Parsed<string> {
  if (DAY.test(text)) {
    const day = parsePeriod(text);
    if (!day.ok) return day;
    return { ok: true, value: dayMeans === 'end' ? `${text}T23:59:59.999Z` : `${text}T00:00:00.000Z` };
  }
  if (!TIMESTAMP.test(text)) {
    return { ok: false, problem: `"${text}" is not an ISO 8601 date (YYYY-MM-DD) or timestamp (YYYY-MM-DDTHH:MM:SSZ)` };
  }
  const time = Date.parse(text);
  const day = parsePeriod(text.slice(0, 10));
  if (Number.isNaN(time) || !day.ok) return { ok: false, problem: `"${text}" is not a real date and time` };
  // An offset can carry an instant over the edge of the years allowed: 9999-12-31T23:30:00-01:00 is in year 10000.
  if (time < FIRST_INSTANT || time > LAST_INSTANT)
    return { ok: false, problem: `${outsideYears(text)} once converted to UTC` };
  return { ok: true, value: new Date(time).toISOString() };
}

/** The UTC day of an ISO instant. */
export function dayOf(instant: string): string {
  return instant.slice(0, 10);
}

export function todayIso(now: Date): string {
  return now.toISOString().slice(0, 10);
}

const MONTH_NAMES = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];

/** "13 October 2007" */
export function longDate(day: string): string {
  const [year, month, date] = day.split('-').map(Number);
  return `${date} ${MONTH_NAMES[month - 1]} ${year}`;
}

/**
 * When an event happened, with the precision its source gave: "13 October 2007", "June 2007",
 * "2007", "between 1 January and 6 June 2007". The one owner of the words, for the summary and
 * the page alike: an interval's last day is the day it counts from, never the day it happened.
 */
export function occurredText(occurred: Pick<Occurred, 'from' | 'to' | 'precision'>): string {
  const { from, to, precision } = occurred;
  if (precision === 'day' || from === to) return longDate(from);
  const [fromYear, fromMonth, fromDay] = from.split('-').map(Number);
  if (precision === 'month') return `${MONTH_NAMES[fromMonth - 1]} ${fromYear}`;
  if (precision === 'year') return String(fromYear);
  const [toYear, toMonth] = to.split('-').map(Number);
  const start =
    fromYear !== toYear
      ? longDate(from)
      : fromMonth !== toMonth
        ? `${fromDay} ${MONTH_NAMES[fromMonth - 1]}`
        : `${fromDay}`;
  return `between ${start} and ${longDate(to)}`;
}

/** The same inside a sentence: "on 13 October 2007", "in June 2007", "in 2007", "between 1 January and 6 June 2007". */
export function occurredPhrase(occurred: Pick<Occurred, 'from' | 'to' | 'precision'>): string {
  const text = occurredText(occurred);
  if (occurred.precision === 'day' || occurred.from === occurred.to) return `on ${text}`;
  return occurred.precision === 'interval' ? text : `in ${text}`;
}
