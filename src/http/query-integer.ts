import { Transform } from 'class-transformer';

/**
 * A query parameter read as a number for IsInt, Min and Max to check. An empty value stays the
 * empty text, which IsInt refuses: `@Type(() => Number)` made `upTo=` the number 0, and an export
 * "up to log position 0" came back empty with 200 where the client had meant no limit.
 */
export const QueryInteger = () =>
  Transform(({ value }: { value: unknown }) =>
    typeof value === 'string' && value.trim() !== '' ? Number(value) : value,
  );
