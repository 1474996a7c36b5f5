import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { CatalogService } from '../../catalog/catalog.service.js';
import { type EvidenceMap, withEvidenceMap, withReports, type WithRefs } from '../domain/positions/evidence-map.js';
import type { ReportCard } from '../domain/records/topic-state.js';
import { EVENT_COLUMNS, type EventRow, toStoredEvent } from '../../event-store/event-store.js';
import { toRecorded } from '../recorded-events.js';

/**
 * The evidence of an answer as every route shows it (DESIGN section 3, "more sources for one
 * claim"): each card once in the answer's map (withEvidenceMap), its speaker's role on the day
 * from the catalog, and the other sources that reported the same event (`report` events known at
 * `knownAt`, not retracted then) with the corroboration count. One owner, so positions, changes,
 * replays and write answers cannot show a card differently.
 */
@Injectable()
export class AnswerEvidence {
  constructor(
    private readonly dataSource: DataSource,
    private readonly catalog: CatalogService,
  ) {}

  async shown<T>(value: T, knownAt?: string): Promise<{ readonly value: WithRefs<T>; readonly evidence: EvidenceMap }> {
    const { speakers } = await this.catalog.current();
    const mapped = withEvidenceMap(value, speakers);
    const ids = [...new Set(Object.values(mapped.evidence).map((card) => card.eventId))];
    if (ids.length === 0) return mapped;
    return { value: mapped.value, evidence: withReports(mapped.evidence, await this.reportsOf(ids, knownAt)) };
  }

  /** The reports of these events, as known at `knownAt` (all recorded, without it), oldest first. */
  async reportsOf(eventIds: readonly string[], knownAt?: string): Promise<Map<string, ReportCard[]>> {
    // events_reports indexes reports alone (a probe per cited event; through the index of every
    // answer PostgreSQL chose a parallel scan, 20-30 ms a read); a report retracted by knownAt is no source.
    // Not a prepared statement: prepared, it was the one change to reads between two bench runs at
    // 1,000,000 events in which position reads went from 5 ms to about a second (p50, one topic),
    // likely its generic plan, which cannot know how many events are cited; planned per call it
    // costs about 3 ms of planning there (EXPLAIN).
    const rows = await this.dataSource.query<EventRow[]>(
      `SELECT ${EVENT_COLUMNS} FROM events e
        WHERE e.type = 'report' AND e.data->>'refersTo' = ANY($1::text[])
          AND ($2::timestamptz IS NULL OR e.reported_at <= $2::timestamptz)
          AND NOT EXISTS (
            SELECT 1 FROM events r WHERE r.type = 'retraction' AND r.data ? 'refersTo'
               AND r.data->>'refersTo' = e.id::text
               AND ($2::timestamptz IS NULL OR r.reported_at <= $2::timestamptz))
        ORDER BY e.reported_at, e.position`,
      [eventIds, knownAt ?? null],
    );
    const reports = new Map<string, ReportCard[]>();
    for (const row of rows) {
      const event = toRecorded(toStoredEvent(row));
      if (event.type !== 'report') continue;
      const card: ReportCard = {
        eventId: event.id,
        reportedAt: event.reportedAt,
        source: event.source,
        ...(event.speaker ? { speaker: event.speaker } : {}),
        ...(event.quote ? { quote: event.quote } : {}),
        ...(event.payload.note ? { note: event.payload.note } : {}),
      };
      const target = event.refersTo!;
      reports.set(target, [...(reports.get(target) ?? []), card]);
    }
    return reports;
  }
}
