import type { ForeignEvent } from './foreign-event.js';

/** A row read from a file: field name -> value. */
export type Row = Readonly<Record<string, unknown>>;
/** A row read as a ForeignEvent, or why it cannot be. */
export type Read = ForeignEvent | { readonly message: string };

export const text = (value: unknown): string | undefined =>
  typeof value === 'string' && value.trim() !== ''
    ? value.trim()
    : typeof value === 'number'
      ? String(value)
      : undefined;
/** A list in one field, as the exports write it ("a; b"). */
export const list = (value: unknown): string[] =>
  Array.isArray(value)
    ? value.map(text).filter((v): v is string => v !== undefined)
    : (text(value)
        ?.split(';')
        .map((v) => v.trim())
        .filter(Boolean) ?? []);
const DAY = /^\d{4}-\d{2}-\d{2}$/;
/** A day field: YYYY-MM-DD, or the day of a timestamp. */
export const day = (value: unknown): string | undefined => {
  const given = text(value)?.slice(0, 10);
  return given && DAY.test(given) ? given : undefined;
};
export const missing = (field: string): { message: string } => ({
  message: `${field} is missing or not a date (YYYY-MM-DD)`,
});
