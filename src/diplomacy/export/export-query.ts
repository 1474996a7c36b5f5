import type { EventFilter } from '../domain/events/event-filter.js';

/** What an export holds: filters like GET /events's, the knownAt of the snapshot and the log position it stops at. */
export interface ExportQuery extends EventFilter {
  readonly topic?: string;
  readonly type?: string;
  /** As known at this instant: only events reported by then, corrected as known then. */
  readonly knownAt?: string;
  /** The last log position included (absent: the committed head when the export starts). */
  readonly upTo?: number;
}
