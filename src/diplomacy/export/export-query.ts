import type { RecordedEvent } from '../domain/events/events.js';

/** What an export holds: filters like GET /events's, the knownAt of the snapshot and the log position it stops at. */
export interface ExportQuery {
  readonly topic?: string;
  /** Events by or aimed at this party. */
  readonly party?: string;
  readonly type?: string;
  /** Occurred on or after this day (its interval ends on or after it). */
  readonly from?: string;
  /** Occurred on or before this day (its interval starts on or before it). */
  readonly to?: string;
  /** As known at this instant: only events reported by then, corrected as known then. */
  readonly knownAt?: string;
  /** The last log position included (absent: the committed head when the export starts). */
  readonly upTo?: number;
}

/**
 * Whether an event (as corrected, for research exports) passes the filters that a correction may
 * change: party and dates. Topic and type, which no correction changes, are filtered in SQL.
 */
export function matchesFilters(event: RecordedEvent, query: ExportQuery): boolean {
  if (query.party && event.actor !== query.party && !event.targets.includes(query.party)) return false;
  if (query.from && event.occurred.to < query.from) return false;
  if (query.to && event.occurred.from > query.to) return false;
  return true;
}
