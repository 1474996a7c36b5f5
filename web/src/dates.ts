/** Days as the API writes them (YYYY-MM-DD, UTC), and as numbers for the slider. */

const DAY_MS = 86_400_000;

export function dayNumber(day: string): number {
  const [y, m, d] = day.slice(0, 10).split('-').map(Number);
  return Date.UTC(y, m - 1, d) / DAY_MS;
}

export function dayOf(number: number): string {
  return new Date(number * DAY_MS).toISOString().slice(0, 10);
}

export function addDays(day: string, days: number): string {
  return dayOf(dayNumber(day) + days);
}

export function addMonths(day: string, months: number): string {
  const [y, m, d] = day.split('-').map(Number);
  const date = new Date(Date.UTC(y, m - 1 + months, 1));
  const last = new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 0)).getUTCDate();
  date.setUTCDate(Math.min(d, last));
  return date.toISOString().slice(0, 10);
}

export function today(): string {
  return new Date().toISOString().slice(0, 10);
}

const LONG = new Intl.DateTimeFormat('en-GB', { timeZone: 'UTC', day: 'numeric', month: 'long', year: 'numeric' });

/** "14 October 2007" */
export function longDate(day: string): string {
  return /^\d{4}-\d{2}-\d{2}/.test(day) ? LONG.format(new Date(dayNumber(day) * DAY_MS)) : day;
}

/** When an event happened, with the precision the source gave (the domain's words, shared with the summary). */
export { occurredText } from '../../src/diplomacy/domain/time/dates.js';

const SHORT = new Intl.DateTimeFormat('en-GB', { timeZone: 'UTC', day: 'numeric', month: 'short', year: 'numeric' });
const SHORT_MONTH = new Intl.DateTimeFormat('en-GB', { timeZone: 'UTC', month: 'short', year: 'numeric' });

/** The same, compact for buttons and lists: "12–13 Oct 2007", "Jul 2007", "1 Jan–6 Jun 2007". */
export function shortOccurred(occurred: { from: string; to: string; precision: string }): string {
  const at = (day: string) => new Date(dayNumber(day) * DAY_MS);
  if (occurred.precision === 'month') return SHORT_MONTH.format(at(occurred.from));
  if (occurred.precision === 'year') return occurred.from.slice(0, 4);
  return SHORT.formatRange(at(occurred.from), at(occurred.to));
}

/** The vis-timeline draws in local time: build local dates so a day stays that day in any time zone. */
export function localDate(day: string, hour = 0): Date {
  const [y, m, d] = day.split('-').map(Number);
  return new Date(y, m - 1, d, hour);
}

export function dayOfLocal(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

const MONTHS = [
  'january',
  'february',
  'march',
  'april',
  'may',
  'june',
  'july',
  'august',
  'september',
  'october',
  'november',
  'december',
];

/**
 * A day typed by hand: "2007-10-14", "14 October 2007" or "14 Oct 2007" (the style the page
 * writes dates in, so a date can be copied from the page into a field). Null if it names no real day.
 */
export function parseDay(text: string): string | null {
  const typed = text.trim().toLowerCase();
  let parts: [number, number, number] | null = null;
  const iso = /^(\d{4})-(\d{2})-(\d{2})$/.exec(typed);
  if (iso) parts = [Number(iso[1]), Number(iso[2]), Number(iso[3])];
  const long = /^(\d{1,2})\s+([a-z]+)\.?,?\s+(\d{4})$/.exec(typed);
  if (long) {
    const month = long[2].length >= 3 ? MONTHS.findIndex((m) => m.startsWith(long[2])) : -1;
    if (month >= 0) parts = [Number(long[3]), month + 1, Number(long[1])];
  }
  if (!parts) return null;
  const [y, m, d] = parts;
  const day = `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
  return dayOf(dayNumber(day)) === day ? day : null; // 31 September rolls over: refused
}
