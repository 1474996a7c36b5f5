import type { EntityManager } from 'typeorm';
import type { EventStore, Reader } from '../event-store/event-store.js';
import type { EventToAppend, StoredEvent } from '../event-store/stored-event.js';
import { EVENT_COLUMNS, type EventRow, toStoredEvent } from '../event-store/event-rows.js';
import { asCorrected } from './domain/time/timeline.js';
import type { ReferencedEvent } from './domain/records/decide.js';
import { ABOUT_A_RECORD, type DiplomaticEvent, type RecordedEvent } from './domain/events/events.js';

/**
 * SQL condition: the event answers `value` (e.g. `$1` or `ANY($1)`). The index on refersTo
 * (events_refers_to) is partial, `WHERE data ? 'refersTo'`, and PostgreSQL uses it only when the
 * query states that condition too: without it, every lookup of an event's corrections or
 * retraction read the whole log.
 */
export const refersToSql = (value: string) => `data ? 'refersTo' AND data->>'refersTo' = ${value}`;

/** SQL condition: the row is a record about another record (a correction, retraction or report). */
export const ABOUT_A_RECORD_SQL = `type IN (${[...ABOUT_A_RECORD].map((type) => `'${type}'`).join(', ')})`;

/**
 * SQL condition: the row of `events` was publicly known at the instant `knownAt` (an SQL
 * timestamptz expression, e.g. `$2::timestamptz`), among the rows up to the log position `upTo`
 * if given: reported by then and, for a record about another record (a correction, retraction or
 * report), that record was too. A correction may be reported before the event it corrects (the
 * seeds date theirs by the source that fixes the date, weeks before the article that reported the
 * event): until the event is known it changes nothing anyone knew, so no answer as known at an
 * instant before that lists it (GET /events, the log's export), as effectiveLog applies it only
 * to a known event. The one owner of the rule in SQL.
 */
export function knownAtSql(knownAt: string, upTo?: string): string {
  const target = `SELECT 1 FROM events t WHERE t.id = (events.data->>'refersTo')::uuid AND t.reported_at <= ${knownAt}`;
  return `(events.reported_at <= ${knownAt} AND (NOT (${ABOUT_A_RECORD_SQL}) OR EXISTS (${target}${upTo ? ` AND t.position <= ${upTo}` : ''})))`;
}

/** A diplomatic event as the store keeps it: id, type and topic in their columns, the rest in data. */
export function toAppend(event: DiplomaticEvent, metadata: Record<string, unknown>): EventToAppend {
  const { id, type, topic: _topic, ...data } = event;
  return {
    id,
    type,
    data,
    metadata,
    occurredFrom: event.occurred.from,
    occurredTo: event.occurred.to,
    reportedAt: event.reportedAt,
  };
}

/**
 * A topic's events as the domain sees them, in stream order, read as documents (no StoredEvent in
 * between); `versions`: only those after `after` up to `upTo`.
 */
export function readRecorded(
  store: EventStore,
  topic: string,
  reader?: Reader,
  versions?: { after: number; upTo: number },
): Promise<RecordedEvent[]> {
  return store.readStreamDocuments<RecordedEvent>(topic, 'topic', reader, versions);
}

export function toRecorded(stored: StoredEvent): RecordedEvent {
  return {
    ...(stored.data as Omit<DiplomaticEvent, 'id' | 'type' | 'topic'>),
    id: stored.id,
    type: stored.type,
    topic: stored.stream,
    version: stored.version,
    position: stored.position,
    recordedAt: stored.recordedAt,
  } as RecordedEvent;
}

/**
 * The events that requests refer to, as decide needs them: each as its corrections describe it
 * (asCorrected), with whether a retraction names it.
 */
export async function readReferenced(
  store: EventStore,
  manager: EntityManager,
  ids: readonly string[],
): Promise<Map<string, ReferencedEvent>> {
  const found = ids.length ? await store.readByIds([...new Set(ids)], manager) : [];
  if (found.length === 0) return new Map();
  const answers = (
    await manager.query<EventRow[]>(
      `SELECT ${EVENT_COLUMNS} FROM events WHERE type IN ('retraction', 'correction') AND ${refersToSql('ANY($1)')}`,
      [found.map((e) => e.id)],
    )
  ).map((row) => toRecorded(toStoredEvent(row)));
  const retracted = new Set(answers.filter((a) => a.type === 'retraction').map((a) => a.refersTo));
  const corrections = answers.filter((a) => a.type === 'correction');
  return new Map(
    found.map((e) => [e.id, { event: asCorrected(toRecorded(e), corrections), retracted: retracted.has(e.id) }]),
  );
}
