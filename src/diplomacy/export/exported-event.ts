import type { RecordedEvent } from '../domain/events/events.js';
import { formatOccurred } from '../domain/time/dates.js';
import type { Occurred } from '../domain/events/events.js';

/**
 * One row of a research export: an event as the record described it at knownAt (its corrections
 * known then applied, by effectiveLog), with the correction that last changed it.
 */
export interface ExportedEvent {
  readonly event: RecordedEvent;
  readonly correctedBy?: string;
}

/** Party names by slug, for formats that name actors rather than code them. */
export type PartyNames = (slug: string) => string;

/**
 * An occurred interval as an EDTF string (ISO 8601-2, level 0): "2007-06-07", "2007-06", "2007",
 * or "2007-10-12/2007-10-13". The compact input form is already EDTF, so the one writer serves both.
 */
export const edtf = (occurred: Occurred): string => formatOccurred(occurred);

/** How a record cites its source, in one line: publisher, title, author, publication date, url. */
export function citation(event: RecordedEvent): string {
  const { publisher, title, author, publishedAt, url } = event.source;
  return [publisher, `"${title}"`, author, publishedAt.slice(0, 10), url].filter(Boolean).join(', ');
}

/** A list of slugs or names in one text field. */
export const joined = (values: readonly string[]): string => values.join('; ');
