import type { RecordedEvent } from './events.js';

/** The filters of event listings and exports that a correction may change: who, and when. */
export interface EventFilter {
  /** Events by or aimed at this party. */
  readonly party?: string;
  /** Occurred on or after this day (its interval ends on or after it). */
  readonly from?: string;
  /** Occurred on or before this day (its interval starts on or before it). */
  readonly to?: string;
}

/**
 * Whether an event passes the filters a correction may change: party and dates. Applied to the
 * event as corrected (GET /events, research exports), so an event whose date a correction moved
 * is found under its corrected date. Topic and type, which no correction changes, are filtered in SQL.
 */
export function matchesFilters(event: RecordedEvent, filter: EventFilter): boolean {
  if (filter.party && event.actor !== filter.party && !event.targets.includes(filter.party)) return false;
  if (filter.from && event.occurred.to < filter.from) return false;
  if (filter.to && event.occurred.from > filter.to) return false;
  return true;
}
