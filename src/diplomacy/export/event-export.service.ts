import { Injectable } from '@nestjs/common';
import { Readable, pipeline } from 'node:stream';
import type { PoolClient } from 'pg';
import QueryStream from 'pg-query-stream';
import { stringify } from 'csv-stringify';
import { DataSource } from 'typeorm';
import { CatalogService } from '../../catalog/catalog.service.js';
import { document } from '../../event-store/event-rows.js';
import { EventStore } from '../../event-store/event-store.js';
import type { RecordedEvent } from '../domain/events/events.js';
import { effectiveLog } from '../domain/time/timeline.js';
import { codingShown } from '../domain/events/cameo.js';
import { PositionReader } from '../positions/position-reader.js';
import type { HistoryScope } from '../positions/position.view.js';
import { matchesFilters } from '../domain/events/event-filter.js';
import { ABOUT_A_RECORD_SQL, knownAtSql } from '../recorded-events.js';
import type { ExportQuery } from './export-query.js';
import { delimiterOf, type EventFormat, POSITIONS_TABLE, RESEARCH_FORMATS, type Separator } from './export-formats.js';
import type { ExportedEvent, PartyNames } from './exported-event.js';
import { positionRows } from './positions.row.js';
import { CODING_COLUMNS, codingRows } from './coding.row.js';
import { stanceLine } from './stance-jsonl.row.js';

/** Rows fetched from PostgreSQL at a time: memory stays bounded by this, whatever the log's size. */
const FETCH_ROWS = 1000;

/** An export under way: its text, and the log position it stops at (for the citation). */
export interface ExportStream {
  readonly text: Readable;
  /** The global position of the last event it may include: the same query with upTo gives the same rows. */
  readonly logPosition: number;
}

/** The snapshot a positions export reads: a day, as known at an instant, up to a log position. */
export interface PositionsQuery {
  readonly at: string;
  readonly knownAt?: string;
  readonly upTo: number;
  /** Replaced stances of the 12 months before `at` (window, the default), or every one. */
  readonly history?: HistoryScope;
}

// The SQL filters of an export: $1 the last position, $2 knownAt (KNOWN), $3 topic and $4 type (FILTERS).
const KNOWN = `position <= $1 AND ($2::timestamptz IS NULL OR reported_at <= $2::timestamptz)`;
const FILTERS = `${KNOWN} AND ($3::text IS NULL OR stream = $3) AND ($4::text IS NULL OR type = $4)`;
/** Research formats hold events, not records about records (corrections and retractions apply to their rows). */
const EVENTS_ONLY = `NOT (${ABOUT_A_RECORD_SQL})`;
const EVENT = document(`'topic'`);

/**
 * Streams exports out of PostgreSQL through a cursor (pg-query-stream), FETCH_ROWS rows at a
 * time, with back-pressure from the reader: an export of 1,000,000 events holds a thousand in
 * memory. Every export stops at a log position taken when it starts (the committed head, or
 * `upTo`), so it can be made again, row for row.
 * - the log (`stance`): every event reported by knownAt, corrections and retractions included,
 *   as the POST /events bodies that record it again, in log order;
 * - research formats: each event as the record described it at knownAt (effectiveLog applied to
 *   the event and the corrections and retraction known then), retracted ones left out, records
 *   about records (corrections, retractions, reports) not rows of their own.
 */
@Injectable()
export class EventExport {
  constructor(
    private readonly dataSource: DataSource,
    private readonly store: EventStore,
    private readonly catalog: CatalogService,
    private readonly positions: PositionReader,
  ) {}

  /** The log position an export stops at. */
  async logPosition(upTo?: number): Promise<number> {
    const head = await this.store.committedHead();
    return upTo === undefined ? head : Math.min(upTo, head);
  }

  /** How many rows the SQL of an export selects (party and date filters come after): for a progress bar. */
  async count(format: EventFormat, query: ExportQuery, logPosition: number): Promise<number> {
    const [{ n }] = await this.dataSource.query<{ n: number }[]>(
      `SELECT count(*)::int AS n FROM events WHERE ${FILTERS}${format === 'stance' ? '' : ` AND ${EVENTS_ONLY}`}`,
      this.params(query, logPosition),
    );
    return n;
  }

  async events(
    format: EventFormat,
    query: ExportQuery,
    options: { separator?: Separator; onRow?: () => void } = {},
  ): Promise<ExportStream> {
    const logPosition = await this.logPosition(query.upTo);
    const onRow = options.onRow ?? (() => {});
    if (format === 'stance') {
      const lines = mapRows(this.log(query, logPosition), ({ event, subject }) => {
        onRow();
        return matchesFilters(subject, query) ? `${JSON.stringify(stanceLine(event))}\n` : undefined;
      });
      return { text: Readable.from(lines), logPosition };
    }
    const names = await this.names();
    const rows = mapRows(this.effective(query, logPosition), (exported) => {
      onRow();
      return matchesFilters(exported.event, query) ? exported : undefined;
    });
    const writer = RESEARCH_FORMATS[format];
    if (writer.kind === 'jsonl')
      return {
        text: Readable.from(mapRows(rows, (row) => `${JSON.stringify(writer.row(row, names))}\n`)),
        logPosition,
      };
    return {
      text: table(
        mapRows(rows, (row) => writer.row(row, names)),
        writer.columns,
        options.separator ?? 'comma',
      ),
      logPosition,
    };
  }

  /** The coding table (codingRows), as a table like the others. */
  codingTable(separator: Separator = 'comma'): Readable {
    return table(codingRows(), CODING_COLUMNS, separator);
  }

  /**
   * Every party's stances per item on every topic at a day, as known at an instant (positionRows),
   * read topic by topic through the position reader (one topic's positions in memory at a time).
   * Folded from the log up to the snapshot's position, so the table is as exact as the events'.
   */
  async positionTable(query: PositionsQuery, separator: Separator = 'comma'): Promise<Readable> {
    const topics = [...(await this.catalog.current()).topics.keys()].sort();
    const { positions, dataSource } = this;
    async function* rows() {
      // On the primary: exports stay there (docs/architecture.md, "Read replicas").
      for (const topic of topics)
        for (const view of await positions.topicPositions(topic, query, dataSource)) yield* positionRows(view);
    }
    return table(rows(), POSITIONS_TABLE.columns, separator);
  }

  /**
   * The log as recorded: every event reported by knownAt, in log order, but a correction,
   * retraction or report of an event not reported by then. Such a record changes nothing known
   * at knownAt (effectiveLog applies it to nothing), and an import refuses it (its refersTo names
   * no recorded event): the seeds hold corrections reported months before the events they
   * correct, and a log exported as known between the two did not import.
   */
  private log(query: ExportQuery, logPosition: number): AsyncGenerator<LogRow> {
    const known = `($2::timestamptz IS NULL OR ${knownAtSql('$2::timestamptz', '$1')})`;
    if (!query.party && !query.from && !query.to)
      return mapRows(
        this.rows<{ event: RecordedEvent }>(
          `SELECT ${EVENT} AS event FROM events WHERE ${FILTERS} AND ${known} ORDER BY position`,
          this.params(query, logPosition),
        ),
        ({ event }) => ({ event, subject: event }),
      );
    // Party and dates pass or fail the event as its corrections known then describe it, as in
    // GET /events and the research formats (matchesFilters); a correction, retraction or report
    // goes with the event it is about (this matched the event as first recorded: the seeds'
    // Moscow talks, whose dates their corrections fix, were missing from a log of 12 October 2007).
    const rows = this.rows<{ event: RecordedEvent; about: RecordedEvent | null; answers: RecordedEvent[] | null }>(
      `WITH answered AS (
         SELECT data->>'refersTo' AS target, json_agg(${EVENT} ORDER BY position) AS corrections
           FROM events WHERE type IN ('correction', 'retraction') AND data ? 'refersTo' AND ${KNOWN}
          GROUP BY 1)
       SELECT ${EVENT} AS event, subject.about, answered.corrections AS answers
         FROM events
         LEFT JOIN LATERAL (SELECT ${EVENT} AS about FROM events s WHERE s.id = (events.data->>'refersTo')::uuid) subject
           ON ${ABOUT_A_RECORD_SQL}
         LEFT JOIN answered ON answered.target = coalesce(subject.about->>'id', events.id::text)
        WHERE ${FILTERS} AND ${known} ORDER BY position`,
      this.params(query, logPosition),
    );
    return mapRows(rows, ({ event, about, answers }) => {
      const recorded = about ?? event;
      const [effective] = answers ? effectiveLog([recorded, ...answers], query.knownAt).events : [];
      return { event, subject: effective?.event ?? recorded };
    });
  }

  /**
   * Events as the record described them at knownAt: each row comes with the corrections and the
   * retraction that name it and were known then (grouped once, joined by hash), and effectiveLog,
   * which owns how they apply, makes the event of them.
   */
  private effective(query: ExportQuery, logPosition: number): AsyncGenerator<ExportedEvent> {
    const rows = this.rows<{ event: RecordedEvent; answers: RecordedEvent[] | null }>(
      `WITH answered AS (
         SELECT data->>'refersTo' AS target, json_agg(${EVENT} ORDER BY position) AS answers
           FROM events WHERE type IN ('correction', 'retraction') AND data ? 'refersTo' AND ${KNOWN}
          GROUP BY 1)
       SELECT ${EVENT} AS event, answered.answers FROM events LEFT JOIN answered ON answered.target = events.id::text
        WHERE ${FILTERS} AND ${EVENTS_ONLY} ORDER BY position`,
      this.params(query, logPosition),
    );
    // Each coding as the CAMEO table says it now (codingShown): the research formats name its PLOVER category.
    return mapRows(rows, ({ event, answers }) => {
      if (!answers) return { event: codingShown(event) };
      const [effective] = effectiveLog([event, ...answers], query.knownAt).events;
      return effective && { event: codingShown(effective.event), correctedBy: effective.correctedBy };
    });
  }

  private params(query: ExportQuery, logPosition: number): unknown[] {
    return [logPosition, query.knownAt ?? null, query.topic ?? null, query.type ?? null];
  }

  /** A query's rows through a cursor; the connection goes back to the pool when the reader stops, early or not. */
  private async *rows<T>(text: string, values: unknown[]): AsyncGenerator<T> {
    const runner = this.dataSource.createQueryRunner();
    const client = (await runner.connect()) as PoolClient;
    const cursor = client.query(new QueryStream(text, values, { batchSize: FETCH_ROWS }));
    try {
      for await (const row of cursor) yield row as T;
    } finally {
      cursor.destroy();
      await runner.release();
    }
  }

  private async names(): Promise<PartyNames> {
    const parties = (await this.catalog.current()).parties;
    return (slug) => parties.get(slug)?.name ?? slug;
  }
}

/** A row of the log's export: the event, and the event it is about as corrected then (itself if it is about none), which the filters test. */
interface LogRow {
  readonly event: RecordedEvent;
  readonly subject: RecordedEvent;
}

/** Rows mapped one by one; a row mapped to undefined is left out. */
async function* mapRows<A, B>(rows: AsyncIterable<A>, map: (row: A) => B | undefined): AsyncGenerator<B> {
  for await (const row of rows) {
    const mapped = map(row);
    if (mapped !== undefined) yield mapped;
  }
}

/** Rows as CSV or TSV with a header line (csv-stringify quotes what needs it); an error of the rows ends the text with it. */
function table(
  rows: AsyncIterable<Readonly<Record<string, string | number>>> | Iterable<Readonly<Record<string, string | number>>>,
  columns: readonly string[],
  separator: Separator,
): Readable {
  return pipeline(
    Readable.from(rows),
    stringify({ header: true, columns: [...columns], delimiter: delimiterOf(separator) }),
    () => {}, // an error destroys the text, which is what its reader sees
  );
}
