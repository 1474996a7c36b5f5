import { Injectable } from '@nestjs/common';
import { isUuidShaped } from '../../shared/ids.js';
import { Problem } from '../../shared/problem.js';
import { applyCorrection } from '../domain/time/timeline.js';
import { isAboutARecord, type RecordedEvent } from '../domain/events/events.js';
import { codingShown } from '../domain/events/cameo.js';
import type { Reader } from '../../event-store/event-store.js';
import { EVENT_COLUMNS, type EventRow, toStoredEvent } from '../../event-store/event-rows.js';
import { knownAtSql, refersToSql, toRecorded } from '../recorded-events.js';
import { AnswerEvidence } from '../evidence/answer-evidence.js';
import { matchesFilters } from '../domain/events/event-filter.js';
import type { ReportCard } from '../domain/records/topic-state.js';

export interface EventFilters {
  readonly topic?: string;
  readonly party?: string;
  readonly type?: string;
  readonly from?: string;
  readonly to?: string;
  readonly q?: string;
  readonly knownAt?: string;
  readonly after: number;
  readonly limit: number;
}

/** A recorded event with what later records say about it; the original is never changed. */
export type EventView = RecordedEvent & {
  readonly status: 'recorded' | 'corrected' | 'retracted';
  readonly correctedBy: readonly string[];
  readonly retractedBy: string | null;
  /** The event as its corrections (counted at knownAt) describe it. */
  readonly corrected: RecordedEvent | null;
  /** Other sources that reported it (as known at knownAt), oldest first. */
  readonly reports: readonly ReportCard[];
};

/**
 * `q` as an ILIKE pattern that finds it anywhere in a text, its `%`, `_` and backslash taken literally.
 * PostgreSQL's ILIKE is the one owner of what a text match is (its case folding is the
 * database's, not JavaScript's: they differ on letters such as the Turkish İ), for the original
 * events and for those a correction changed alike.
 */
const containing = (q: string) => `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/** The events, among `events`, whose summary or quote contains `q` (case-insensitive, by ILIKE), asked of `reader`. */
async function containingText(events: readonly RecordedEvent[], q: string, reader: Reader): Promise<Set<string>> {
  if (events.length === 0) return new Set();
  const rows = await reader.query<{ id: string }[]>(
    `SELECT t.id FROM unnest($1::text[], $2::text[], $3::text[]) AS t(id, summary, quote)
      WHERE t.summary ILIKE $4 OR t.quote ILIKE $4`,
    [events.map((e) => e.id), events.map((e) => e.summary), events.map((e) => e.quote ?? null), containing(q)],
  );
  return new Set(rows.map((r) => r.id));
}

/** GET /events: a page of the log, and the cursor to ask for the next one. */
export interface EventsPage {
  readonly events: readonly EventView[];
  /** The position to pass as `after` for the next page. */
  readonly next: number;
  readonly hasMore: boolean;
}

const COLUMNS = EVENT_COLUMNS;

@Injectable()
export class EventReader {
  constructor(private readonly evidence: AnswerEvidence) {}

  /**
   * A page of the log, filtered as each event stood at knownAt: party, dates and text apply to the
   * event as its corrections known then describe it (matchesFilters, the rule exports follow), so
   * an event whose date a correction moved is listed under its corrected date. In SQL, the
   * filters that no correction changes (topic, type, reported by knownAt) and, for the others, the
   * original event, or any event with a correction known then (few: checked here once corrected).
   * A page may hold fewer than `limit` events while `hasMore` says more follow.
   * Each read runs where `reader` reads (the request's LogReading).
   */
  async list(filters: EventFilters, reader: Reader): Promise<EventsPage> {
    const where = ['position > $1'];
    const params: unknown[] = [filters.after];
    const param = (value: unknown) => {
      params.push(value);
      return `$${params.length}`;
    };
    if (filters.topic) where.push(`stream = ${param(filters.topic)}`);
    if (filters.type) where.push(`type = ${param(filters.type)}`);
    // As known at K: an event reported after K was not known then, whatever its occurred date, nor a
    // correction, retraction or report of one (knownAtSql).
    const knownAt = filters.knownAt && param(filters.knownAt);
    if (knownAt) where.push(knownAtSql(`${knownAt}::timestamptz`));
    const original: string[] = [];
    if (filters.party) {
      const p = param(filters.party);
      original.push(`(data->>'actor' = ${p} OR data->'targets' ? ${p})`);
    }
    if (filters.from) original.push(`occurred_to >= ${param(filters.from)}::date`);
    if (filters.to) original.push(`occurred_from <= ${param(filters.to)}::date`);
    if (filters.q) {
      const p = param(containing(filters.q));
      original.push(`(data->>'summary' ILIKE ${p} OR data->>'quote' ILIKE ${p})`);
    }
    if (original.length)
      where.push(`(${original.join(' AND ')} OR EXISTS (
        SELECT 1 FROM events c WHERE c.type = 'correction' AND c.data ? 'refersTo' AND c.data->>'refersTo' = events.id::text
          ${knownAt ? `AND c.reported_at <= ${knownAt}::timestamptz` : ''}))`);
    const rows = await reader.query<EventRow[]>(
      `SELECT ${COLUMNS} FROM events WHERE ${where.join(' AND ')} ORDER BY position LIMIT ${param(filters.limit)}`,
      params,
    );
    const views = await this.withStatus(
      rows.map((r) => toRecorded(toStoredEvent(r))),
      filters.knownAt,
      reader,
    );
    // A corrected event passes as corrected: party and dates by matchesFilters (the rule exports
    // follow), its text by the same ILIKE as the originals'.
    const corrected = views.filter((view) => view.corrected && matchesFilters(view.corrected, filters));
    const texts = filters.q
      ? await containingText(
          corrected.map((view) => view.corrected!),
          filters.q,
          reader,
        )
      : undefined;
    return {
      events: views.filter((view) => !view.corrected || (corrected.includes(view) && (!texts || texts.has(view.id)))),
      next: rows.length ? Number(rows[rows.length - 1].position) : filters.after,
      hasMore: rows.length === filters.limit,
    };
  }

  async get(id: string, knownAt: string | undefined, reader: Reader): Promise<EventView> {
    // The shape PostgreSQL's uuid takes: 36 hex digits and dashes in any order ("----...") made it throw, a 500.
    const rows = isUuidShaped(id)
      ? await reader.query<EventRow[]>(`SELECT ${COLUMNS} FROM events WHERE id = $1`, [id])
      : [];
    if (rows.length === 0) throw Problem.field('not_found', 'id', `no event has id "${id}"`);
    return this.asKnownAt(toRecorded(toStoredEvent(rows[0])), knownAt, reader);
  }

  /** The event of `topic` with this readable key (events_topic_key). */
  async getByKey(topic: string, key: string, knownAt: string | undefined, reader: Reader): Promise<EventView> {
    const rows = await reader.query<EventRow[]>(
      `SELECT ${COLUMNS} FROM events WHERE stream = $1 AND data ? 'key' AND data->>'key' = $2`,
      [topic, key],
    );
    if (rows.length === 0) throw Problem.field('not_found', 'key', `no event of topic "${topic}" has the key "${key}"`);
    return this.asKnownAt(toRecorded(toStoredEvent(rows[0])), knownAt, reader);
  }

  /**
   * One event as known at K: an event reported after K did not exist for a reader at K, so it is
   * not found then (a 404 that says when it was reported), as the list and the positions leave it out.
   */
  private async asKnownAt(event: RecordedEvent, knownAt: string | undefined, reader: Reader): Promise<EventView> {
    if (knownAt && Date.parse(event.reportedAt) > Date.parse(knownAt))
      throw Problem.field(
        'not_found',
        'knownAt',
        `event ${event.id} was not publicly known on ${knownAt}: it was reported on ${event.reportedAt}`,
      );
    // A correction, retraction or report of an event reported later was not known either (knownAtSql).
    if (knownAt && isAboutARecord(event.type)) {
      const [{ known }] = await reader.query<{ known: boolean }[]>(
        `SELECT ${knownAtSql('$2::timestamptz')} AS known FROM events WHERE id = $1`,
        [event.id, knownAt],
      );
      if (!known)
        throw Problem.field(
          'not_found',
          'knownAt',
          `event ${event.id} was not publicly known on ${knownAt}: the event it refers to, ${event.refersTo}, was reported later`,
        );
    }
    const [view] = await this.withStatus([event], knownAt, reader);
    return view;
  }

  private async withStatus(events: RecordedEvent[], knownAt: string | undefined, reader: Reader): Promise<EventView[]> {
    if (events.length === 0) return [];
    const rows = await reader.query<EventRow[]>(
      `SELECT ${COLUMNS} FROM events WHERE type IN ('correction', 'retraction') AND ${refersToSql('ANY($1)')}
         AND ($2::timestamptz IS NULL OR reported_at <= $2::timestamptz) ORDER BY reported_at, position`,
      [events.map((e) => e.id), knownAt ?? null],
    );
    const answers = rows.map((r) => toRecorded(toStoredEvent(r)));
    const reports = await this.evidence.reportsOf(
      events.map((e) => e.id),
      knownAt,
      reader,
    );
    return events.map((event) => {
      const mine = answers.filter((a) => a.refersTo === event.id);
      const corrections = mine.filter((a) => a.type === 'correction');
      const retraction = mine.find((a) => a.type === 'retraction');
      let corrected: RecordedEvent | null = null;
      for (const c of corrections)
        if (c.type === 'correction') corrected = applyCorrection(corrected ?? event, c.payload.changes);
      return {
        ...codingShown(event),
        status: retraction ? 'retracted' : corrections.length ? 'corrected' : 'recorded',
        correctedBy: corrections.map((c) => c.id),
        retractedBy: retraction?.id ?? null,
        corrected: corrected && codingShown(corrected),
        reports: reports.get(event.id) ?? [],
      };
    });
  }
}
