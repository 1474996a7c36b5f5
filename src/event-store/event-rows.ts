/**
 * An event row of the log: the columns a read selects (EVENT_COLUMNS) and the StoredEvent made of
 * them, an event as one JSON document (document), and the StoredEvent an append makes of what it
 * sent and what the database added (storedEvent). What every reader and writer of `events` shares.
 */
import type { EventToAppend, StoredEvent } from './stored-event.js';

const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/** ISO 8601 in UTC with milliseconds, as Date.toISOString writes it, done by PostgreSQL (cheaper than parsing a Date per row). */
export const isoText = (column: string) => `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
export const iso = (column: string) => `${isoText(column)} AS ${column}`;

/** What the database adds to an appended event. */
export interface Placed {
  position: string | number;
  recorded_at: string;
}

/** A path into an event's data a reader leaves out: "quote", or "cameo.name" (the coding's name, its code kept). */
const OMITTABLE = /^[A-Za-z]+(\.[A-Za-z]+)*$/;

/**
 * An event row as one JSON document: its data (less the paths in `omit`, written into the SQL as
 * literals, so only paths of letters and dots are taken), with the store's fields merged in (the
 * stream under the name in the parameter `streamAs`).
 */
export const document = (streamAs: string, omit: readonly string[] = []) => {
  for (const path of omit) if (!OMITTABLE.test(path)) throw new Error(`cannot omit "${path}" from an event's data`);
  const data = omit.reduce((sql, path) => `${sql} #- '{${path.split('.').join(',')}}'`, 'data');
  return `(${data}) || jsonb_build_object('id', id, 'type', type, ${streamAs}::text, stream, 'version', version,
     'position', position, 'recordedAt', ${isoText('recorded_at')})`;
};

/** The columns of an event row, as toStoredEvent reads them. */
export const EVENT_COLUMNS = `position, id, stream, version, type, data, metadata,
  occurred_from::text AS occurred_from, occurred_to::text AS occurred_to, ${iso('reported_at')}, ${iso('recorded_at')}`;

export interface EventRow {
  position: string | number;
  id: string;
  stream: string;
  version: number;
  type: string;
  data: Record<string, unknown>;
  metadata: Record<string, unknown>;
  occurred_from: string | null;
  occurred_to: string | null;
  reported_at: string | null;
  recorded_at: string;
}

export function toStoredEvent(row: EventRow): StoredEvent {
  return {
    position: Number(row.position),
    id: row.id,
    stream: row.stream,
    version: row.version,
    type: row.type,
    data: row.data,
    metadata: row.metadata,
    occurredFrom: row.occurred_from,
    occurredTo: row.occurred_to,
    reportedAt: row.reported_at,
    recordedAt: row.recorded_at,
  };
}

/** An event as stored, from what was appended and what the database added (its position and clock). */
export function storedEvent(stream: string, version: number, event: EventToAppend, placed: Placed): StoredEvent {
  return {
    position: Number(placed.position),
    id: event.id,
    stream,
    version,
    type: event.type,
    data: event.data,
    metadata: event.metadata ?? {},
    occurredFrom: event.occurredFrom ?? null,
    occurredTo: event.occurredTo ?? null,
    reportedAt: event.reportedAt
      ? ISO_INSTANT.test(event.reportedAt)
        ? event.reportedAt
        : new Date(event.reportedAt).toISOString()
      : null,
    recordedAt: placed.recorded_at,
  };
}
