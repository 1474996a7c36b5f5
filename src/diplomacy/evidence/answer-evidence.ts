import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { CatalogService } from '../../catalog/catalog.service.js';
import { type EvidenceMap, withEvidenceMap, withReports, type WithRefs } from '../domain/positions/evidence-map.js';
import type { ReportCard } from '../domain/records/topic-state.js';
import type { Reader } from '../../event-store/event-store.js';
import { EVENT_COLUMNS, type EventRow, toStoredEvent } from '../../event-store/event-rows.js';
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

  /** Reports are read where `reader` reads (the primary without it: the answers of writes). */
  async shown<T>(
    value: T,
    knownAt?: string,
    reader: Reader = this.dataSource,
  ): Promise<{ readonly value: WithRefs<T>; readonly evidence: EvidenceMap }> {
    const { speakers } = await this.catalog.current();
    const mapped = withEvidenceMap(value, speakers);
    const ids = [...new Set(Object.values(mapped.evidence).map((card) => card.eventId))];
    if (ids.length === 0) return mapped;
    return { value: mapped.value, evidence: withReports(mapped.evidence, await this.reportsOf(ids, knownAt, reader)) };
  }

  /** The reports of these events, as known at `knownAt` (all recorded, without it), oldest first. */
  async reportsOf(
    eventIds: readonly string[],
    knownAt: string | undefined,
    reader: Reader,
  ): Promise<Map<string, ReportCard[]>> {
    // events_reports indexes reports alone (a probe per cited event; through the index of every
    // answer PostgreSQL chose a parallel scan, 20-30 ms a read). One plain statement, planned per
    // call: prepared, position reads took about a second at 1,000,000 events (its generic plan,
    // likely), and with the retractions joined in, its planning took about 3 ms there (EXPLAIN).
    // Retracted reports are looked for only when there are reports, which is rare.
    const found = await reader.query<EventRow[]>(
      `SELECT ${EVENT_COLUMNS} FROM events
        WHERE type = 'report' AND data->>'refersTo' = ANY($1::text[])
          AND ($2::timestamptz IS NULL OR reported_at <= $2::timestamptz)
        ORDER BY reported_at, position`,
      [eventIds, knownAt ?? null],
    );
    if (found.length === 0) return new Map();
    const retracted = new Set(
      (
        await reader.query<{ id: string }[]>(
          `SELECT data->>'refersTo' AS id FROM events
            WHERE type = 'retraction' AND data ? 'refersTo' AND data->>'refersTo' = ANY($1::text[])
              AND ($2::timestamptz IS NULL OR reported_at <= $2::timestamptz)`,
          [found.map((row) => row.id), knownAt ?? null],
        )
      ).map((row) => row.id),
    );
    const rows = found.filter((row) => !retracted.has(row.id));
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
