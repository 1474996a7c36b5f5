import { Injectable, Optional } from '@nestjs/common';
import { isUuidShaped } from '../shared/ids.js';
import type { PoolClient } from 'pg';
import { DataSource, EntityManager, QueryRunner } from 'typeorm';
import { EventIdConflictError, WrongExpectedVersionError } from './event-store.errors.js';
import { copyRows } from '../database/copy-rows.js';
import { prepared } from '../database/prepared.js';
import { Channel, DatabaseNotifications } from '../database/notifications.js';
import { canonicalJson } from '../shared/canonical-json.js';
import { LOCK_NAMESPACE_STREAM, lockOrder } from './lock-keys.js';
import type {
  AppendOptions,
  AppendResult,
  EventToAppend,
  StoredEvent,
  StreamAppend,
  StreamsRead,
} from './stored-event.js';

/** Runs inside the append transaction, so a reader right after a successful append sees its effect. */
export interface InlineProjection {
  /** `afterCommit` runs a callback once the transaction has committed (never if it rolls back). */
  apply(
    events: readonly StoredEvent[],
    manager: EntityManager,
    afterCommit: (callback: () => void) => void,
  ): Promise<void>;
}

const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/** ISO 8601 in UTC with milliseconds, as Date.toISOString writes it, done by PostgreSQL (cheaper than parsing a Date per row). */
const isoText = (column: string) => `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
const iso = (column: string) => `${isoText(column)} AS ${column}`;

/** A text as an SQL literal (standard_conforming_strings, PostgreSQL's default since 9.1). */
const quoted = (text: string) => `'${text.replaceAll("'", "''")}'`;

/** A literal array of quoted texts, for a simple query. */
const arrayOf = (texts: readonly string[], type: 'text' | 'uuid') =>
  `ARRAY[${texts.map(quoted).join(', ')}]::${type}[]`;

/**
 * The versions of some streams (in the order given, the array expression `streams`) and the
 * events stored under some ids (`ids`), in one statement: what a writer reads before it decides.
 * One backward index step per stream: `max(version) ... GROUP BY stream` read every event of them.
 */
const streamsReadSql = (streams: string, ids: string) =>
  `SELECT (SELECT json_agg((SELECT coalesce(max(version), 0) FROM events WHERE stream = s) ORDER BY n) FROM unnest(${streams}) WITH ORDINALITY AS t(s, n)) AS versions,
          (SELECT coalesce(json_agg(r), '[]') FROM (SELECT ${EVENT_COLUMNS} FROM events WHERE id = ANY(${ids})) AS r) AS stored`;

interface StreamsReadRow {
  versions: number[] | null;
  stored: EventRow[];
}

const streamsRead = (streams: readonly string[], ids: readonly string[], row: StreamsReadRow): StreamsRead => ({
  versions: new Map(streams.map((stream, i) => [stream, row.versions![i]])),
  ids: new Set(ids),
  stored: new Map(row.stored.map((r) => [r.id, toStoredEvent(r)])),
});

/** The lock on one stream until the transaction ends; `stream` is an SQL expression of its name. */
const streamLock = (stream: string) => `pg_advisory_xact_lock(${LOCK_NAMESPACE_STREAM}, hashtext(${stream}))`;

/** Where a read runs its statements: the primary's data source, a standby's (LogReads), or a transaction's manager. */
export type Reader = Pick<DataSource, 'query'>;

/** What the database adds to an appended event. */
interface Placed {
  position: string | number;
  recorded_at: string;
}

/**
 * An event row as one JSON document: its data (less the fields in the text[] parameter `omit`),
 * with the store's fields merged in (the stream under the name in the parameter `streamAs`).
 */
export const document = (streamAs: string, omit?: string) =>
  `${omit ? `(data - ${omit}::text[])` : 'data'} || jsonb_build_object('id', id, 'type', type, ${streamAs}::text, stream, 'version', version,
     'position', position, 'recordedAt', ${isoText('recorded_at')})`;

/**
 * Rows of transactions older than every running one (gap-safe: positions are taken in
 * transaction order under the log lock, so these rows are a prefix of the log). Transactions of
 * other databases of the server are not waited for.
 */
const COMMITTED_PREFIX = `transaction_id < (
            SELECT coalesce(min(running), pg_snapshot_xmax(pg_current_snapshot()))
              FROM pg_snapshot_xip(pg_current_snapshot()) AS running
             WHERE running::xid NOT IN (
               SELECT backend_xid FROM pg_stat_activity WHERE datname <> current_database() AND backend_xid IS NOT NULL))`;

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

/** What makes two appends "the same event": everything but metadata and the store's own columns. */
function identity(
  stream: string,
  e: {
    type: string;
    data: unknown;
    occurredFrom?: string | null;
    occurredTo?: string | null;
    reportedAt?: string | null;
  },
): string {
  return canonicalJson([
    stream,
    e.type,
    e.data,
    e.occurredFrom ?? null,
    e.occurredTo ?? null,
    e.reportedAt ? new Date(e.reportedAt).toISOString() : null,
  ]);
}

/**
 * One transaction on the event store: lock the streams you will read state from,
 * decide, then append once. Inline projections run before commit.
 */
export class AppendTransaction {
  private appended = false;
  /** Run by EventStore.transaction after COMMIT succeeds. */
  readonly afterCommit: (() => void)[] = [];
  /** The highest log position this transaction appended, once it has. */
  lastPosition: number | undefined;

  constructor(
    private readonly runner: QueryRunner,
    /** The transaction's own connection, for the statements of every append (TypeORM's wrapper costs a fifth more per query). */
    private readonly client: PoolClient,
    private readonly projections: readonly InlineProjection[],
  ) {}

  get manager(): EntityManager {
    return this.runner.manager;
  }

  readonly locked = new Set<string>();

  /** Serialises writers of these streams until commit. */
  async lockStreams(streams: readonly string[]): Promise<void> {
    const fresh = lockOrder(streams).filter((s) => !this.locked.has(s));
    if (fresh.length === 0) return;
    await this.client.query(`SELECT ${streamLock('s')} FROM unnest($1::text[]) WITH ORDINALITY AS t(s, n) ORDER BY n`, [
      fresh,
    ]);
    fresh.forEach((s) => this.locked.add(s));
  }

  async currentVersions(streams: readonly string[]): Promise<ReadonlyMap<string, number>> {
    return (await this.read(streams, [])).versions;
  }

  /**
   * What a writer needs to know before it decides, in one statement: the versions of the streams
   * (locked first, so they cannot move) and the events already stored under some ids. Passed to
   * append, it spares append reading them again.
   */
  async read(streams: readonly string[], ids: readonly string[]): Promise<StreamsRead> {
    const { preread } = this;
    if (preread && streams.every((s) => preread.versions.has(s)) && ids.every((id) => preread.ids.has(id)))
      return preread;
    await this.lockStreams(streams);
    const wanted = [...new Set(streams)];
    const { rows } = await this.client.query<StreamsReadRow>(
      prepared(streamsReadSql('$1::text[]', '$2::uuid[]'), [wanted, ids.filter(isUuidShaped)]),
    );
    return streamsRead(wanted, ids, rows[0]);
  }

  /**
   * What EventStore.transaction read in its first round trip (`read`), until this transaction
   * appends: read() answers from it.
   */
  preread: StreamsRead | undefined;

  /**
   * Appends to one or more streams: the one way events reach the log. An event whose id is
   * already stored with the same payload is not written again; with another payload it is a
   * conflict. Each stream must be at its batch's expectedVersion, if given. The mode says how the
   * rows are written (AppendOptions): one statement and the inline projections (a request), or
   * COPY with the caller projecting (a bulk import).
   */
  async append(batches: readonly StreamAppend[], options: AppendOptions = {}): Promise<AppendResult> {
    const { read, mode = 'request' } = options;
    if (this.appended) throw new Error('append may be called once per transaction');
    if (mode === 'bulk' && batches.length !== 1) throw new Error('a bulk append writes one stream');
    this.appended = true;
    this.preread = undefined; // the versions move now
    const all = batches.flatMap((b) => b.events.map((event) => ({ stream: b.stream, event })));
    const known =
      read && batches.every((b) => read.versions.has(b.stream)) && all.every(({ event }) => read.ids.has(event.id));
    const { versions, stored: existing } = known
      ? read
      : await this.read(
          batches.map((b) => b.stream),
          all.map((e) => e.event.id),
        );
    const fresh: { stream: string; event: EventToAppend }[] = [];
    const seen = new Set<string>();
    for (const { stream, event } of all) {
      if (seen.has(event.id)) throw new EventIdConflictError(event.id);
      seen.add(event.id);
      const stored = existing.get(event.id);
      if (!stored) fresh.push({ stream, event });
      else if (identity(stored.stream, stored) !== identity(stream, event)) throw new EventIdConflictError(event.id);
    }
    if (fresh.length === 0) {
      return { events: all.map(({ event }) => existing.get(event.id)!), duplicate: true };
    }

    for (const batch of batches) {
      const current = versions.get(batch.stream)!;
      if (batch.expectedVersion !== undefined && batch.expectedVersion !== current) {
        throw new WrongExpectedVersionError(batch.stream, batch.expectedVersion, current);
      }
    }
    const next = new Map(versions);
    const rows = fresh.map(({ stream, event }) => {
      const version = next.get(stream)! + 1;
      next.set(stream, version);
      return { stream, version, event };
    });

    const inserted = mode === 'bulk' ? await this.copyInLogOrder(rows) : await this.insertInLogOrder(rows);
    if (mode === 'request')
      for (const projection of this.projections)
        await projection.apply(inserted, this.manager, (callback) => this.afterCommit.push(callback));

    const insertedById = new Map(inserted.map((e) => [e.id, e]));
    return {
      events: all.map(({ event }) => insertedById.get(event.id) ?? existing.get(event.id)!),
      duplicate: false,
    };
  }

  /**
   * The bulk mode's insert: rows of one stream with COPY, PostgreSQL's bulk path, in the same
   * gap-safe order as append_events keeps (begin_log_append, which both call: the append is the
   * transaction's first write, and the log lock is taken first): the transaction id is taken by
   * the first row, under the log lock, and the rows take their positions (and their place in the
   * hash chain) under it too. It is held until commit (migrations/1763801200000-hash-chain.ts says why).
   */
  private async copyInLogOrder(
    rows: { stream: string; version: number; event: EventToAppend }[],
  ): Promise<StoredEvent[]> {
    // The rule and the lock append_events begins with, from their one owner (a migration's SQL).
    await this.client.query('SELECT begin_log_append()');
    await copyRows(
      this.runner.manager,
      'events',
      ['id', 'stream', 'version', 'type', 'data', 'metadata', 'occurred_from', 'occurred_to', 'reported_at'],
      rows.map(({ stream, version, event: e }) => [
        e.id,
        stream,
        version,
        e.type,
        JSON.stringify(e.data),
        JSON.stringify(e.metadata ?? {}),
        e.occurredFrom ?? null,
        e.occurredTo ?? null,
        e.reportedAt ?? null,
      ]),
    );
    const { rows: placed } = await this.client.query<Placed>(
      `SELECT position, ${iso('recorded_at')} FROM events WHERE stream = $1 AND version >= $2 ORDER BY version`,
      [rows[0].stream, rows[0].version],
    );
    const appended = rows.map(({ stream, version, event }, i) => stored(stream, version, event, placed[i]));
    this.noteAppended(appended);
    return appended;
  }

  /**
   * Gap-safe ordering: the transaction id and the log positions are taken together under the
   * log lock, so a transaction with a lower id always holds lower positions. Readers then only
   * read rows of transactions older than every running one (readAll). The lock is held until
   * commit, so each row's hash chains on committed rows only (the hash-chain migration).
   */
  private async insertInLogOrder(
    rows: { stream: string; version: number; event: EventToAppend }[],
  ): Promise<StoredEvent[]> {
    // append_events (a migration) takes the log lock and inserts in one call. Only what the
    // database adds comes back: the events themselves are in hand.
    const { rows: placed } = await this.client.query<Placed>(
      prepared(
        `SELECT position, ${iso('recorded_at')} FROM append_events($1::uuid[], $2::text[], $3::int[], $4::text[], $5::jsonb[], $6::jsonb[], $7::date[], $8::date[], $9::timestamptz[])`,
        [
          rows.map((r) => r.event.id),
          rows.map((r) => r.stream),
          rows.map((r) => r.version),
          rows.map((r) => r.event.type),
          rows.map((r) => JSON.stringify(r.event.data)),
          rows.map((r) => JSON.stringify(r.event.metadata ?? {})),
          rows.map((r) => r.event.occurredFrom ?? null),
          rows.map((r) => r.event.occurredTo ?? null),
          rows.map((r) => r.event.reportedAt ?? null),
        ],
      ),
    );
    const appended = rows.map(({ stream, version, event }, i) => stored(stream, version, event, placed[i]));
    this.noteAppended(appended);
    return appended;
  }

  private noteAppended(appended: readonly StoredEvent[]): void {
    for (const { position } of appended) this.lastPosition = Math.max(this.lastPosition ?? 0, position);
  }
}

/** An event as stored, from what was appended and what the database added (its position and clock). */
function stored(stream: string, version: number, event: EventToAppend, placed: Placed): StoredEvent {
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

@Injectable()
export class EventStore {
  private readonly projections: InlineProjection[] = [];

  constructor(
    private readonly dataSource: DataSource,
    /** Absent where a store is made by hand (tests of the store alone): nothing is told. */
    @Optional() private readonly notifications?: DatabaseNotifications,
  ) {}

  registerInlineProjection(projection: InlineProjection): void {
    this.projections.push(projection);
  }

  /**
   * Runs `work` in one transaction; commits if it resolves, rolls back if it throws. Streams named
   * in `lock` are locked as it begins, in the same round trip, and with `read` (event ids) that
   * round trip also reads what tx.read(lock, read) answers: the streams' versions and the events
   * stored under those ids. One round trip less per write: each costs the server 75-100 µs of
   * CPU on this 2-core VM (a socket write and a wake-up, measured alone), and a write made five
   * (now four: this one, the append, the projection's writes, COMMIT).
   */
  async transaction<T>(
    work: (tx: AppendTransaction) => Promise<T>,
    lock: readonly string[] = [],
    read?: readonly string[],
  ): Promise<T> {
    const runner = this.dataSource.createQueryRunner();
    const client = (await runner.connect()) as PoolClient;
    const tx = new AppendTransaction(runner, client, this.projections);
    let open = false;
    try {
      // READ COMMITTED, PostgreSQL's default. BEGIN, the locks and the read go as one simple
      // query, so the stream names and ids are quoted literals there.
      const streams = lockOrder(lock);
      const locks = streams.map((s) => streamLock(quoted(s)));
      const ids = read?.filter(isUuidShaped) ?? [];
      const readSql =
        read && streams.length ? streamsReadSql(arrayOf(streams, 'text'), arrayOf(ids, 'uuid')) : undefined;
      const results = (await client.query(
        ['BEGIN', ...(locks.length ? [`SELECT ${locks.join(', ')}`] : []), ...(readSql ? [readSql] : [])].join('; '),
      )) as unknown as { rows: StreamsReadRow[] }[];
      open = true;
      streams.forEach((s) => tx.locked.add(s));
      if (read && readSql) tx.preread = streamsRead(streams, read, results[results.length - 1].rows[0]);
      const result = await work(tx);
      await client.query('COMMIT');
      open = false;
      // Other processes' live streams read the log when told (and poll meanwhile).
      if (tx.lastPosition !== undefined) this.notifications?.tell(Channel.log, String(tx.lastPosition));
      for (const callback of tx.afterCommit) callback();
      return result;
    } catch (error) {
      if (open) await client.query('ROLLBACK').catch(() => undefined);
      throw translateError(error);
    } finally {
      await runner.release();
    }
  }

  append(stream: string, events: readonly EventToAppend[], expectedVersion?: number): Promise<AppendResult> {
    return this.transaction((tx) => tx.append([{ stream, events, expectedVersion }]));
  }

  /** A stream in version order; pass the transaction's manager to read inside it. */
  async readStream(stream: string, fromVersion = 1, manager?: EntityManager): Promise<StoredEvent[]> {
    const rows: EventRow[] = await (manager ?? this.dataSource).query(
      `SELECT ${EVENT_COLUMNS} FROM events WHERE stream = $1 AND version >= $2 ORDER BY version`,
      [stream, fromVersion],
    );
    return rows.map(toStoredEvent);
  }

  /**
   * A stream in version order, each event as one document: its data with the store's own fields
   * merged in (id, type, version, position, recordedAt, and the stream under `streamAs`), built
   * by PostgreSQL, so a reader gets the object it works with from one parse and no copying.
   * `versions`: only those after `after` up to `upTo` (one range of the stream's index).
   */
  async readStreamDocuments<T>(
    stream: string,
    streamAs: string,
    manager?: Reader,
    versions: { after: number; upTo: number } = { after: 0, upTo: 2 ** 31 - 1 },
  ): Promise<T[]> {
    const rows: { event: T }[] = await (manager ?? this.dataSource).query(
      `SELECT ${document('$2')} AS event FROM events WHERE stream = $1 AND version > $3 AND version <= $4 ORDER BY version`,
      [stream, streamAs, versions.after, versions.upTo],
    );
    return rows.map((row) => row.event);
  }

  /**
   * Every event in (stream, version) order after a point, as documents (readStreamDocuments),
   * leaving out the data fields named in `omit`: for rebuilds that read the whole log in chunks.
   */
  async readAfterDocuments<T>(
    after: { stream: string; version: number },
    limit: number,
    streamAs: string,
    omit: readonly string[] = [],
  ): Promise<{ stream: string; version: number; event: T }[]> {
    return this.dataSource.query(
      `SELECT stream, version, ${document('$4', '$5')} AS event FROM events WHERE (stream, version) > ($1, $2) ORDER BY stream, version LIMIT $3`,
      [after.stream, after.version, limit, streamAs, omit],
    );
  }

  /** Events by id, as documents (readStreamDocuments). */
  async readDocumentsByIds<T>(ids: readonly string[], streamAs: string): Promise<T[]> {
    if (ids.length === 0) return [];
    const rows: { event: T }[] = await this.dataSource.query(
      `SELECT ${document('$2')} AS event FROM events WHERE id = ANY($1::uuid[])`,
      [ids, streamAs],
    );
    return rows.map((row) => row.event);
  }

  async readByIds(ids: readonly string[], manager?: EntityManager): Promise<StoredEvent[]> {
    const valid = ids.filter(isUuidShaped);
    if (valid.length === 0) return [];
    const rows: EventRow[] = await (manager ?? this.dataSource).query(
      `SELECT ${EVENT_COLUMNS} FROM events WHERE id = ANY($1::uuid[])`,
      [valid],
    );
    return rows.map(toStoredEvent);
  }

  /** Each stream's version (its number of events; 0 for none), without locking: one index probe per stream. */
  async streamVersions(
    streams: readonly string[],
    reader: Reader = this.dataSource,
  ): Promise<ReadonlyMap<string, number>> {
    const rows = await reader.query<{ stream: string; version: number }[]>(
      `SELECT s.stream, coalesce((SELECT max(version) FROM events e WHERE e.stream = s.stream), 0) AS version
         FROM unnest($1::text[]) AS s(stream)`,
      [streams],
    );
    return new Map(rows.map((r) => [r.stream, Number(r.version)]));
  }

  async streamVersion(stream: string): Promise<number> {
    const [row] = await this.dataSource.query<{ version: number }[]>(
      'SELECT coalesce(max(version), 0) AS version FROM events WHERE stream = $1',
      [stream],
    );
    return Number(row.version);
  }

  /**
   * The global log after `afterPosition`, in position order, never skipping a row that a
   * concurrent transaction commits late: rows of still-running transactions, and every
   * row after them, wait until those transactions end. Transactions known to run in other
   * databases of the same server cannot write here and are not waited for (a long one
   * elsewhere would otherwise stall every reader); any transaction not known to be foreign is.
   */
  async readAll(
    afterPosition = 0,
    limit = 100,
    stream?: string,
    reader: Reader = this.dataSource,
  ): Promise<StoredEvent[]> {
    const rows: EventRow[] = await reader.query(
      `SELECT ${EVENT_COLUMNS} FROM events
        WHERE position > $1 AND ${COMMITTED_PREFIX}
          AND ($3::text IS NULL OR stream = $3)
        ORDER BY position LIMIT $2`,
      [afterPosition, limit, stream ?? null],
    );
    return rows.map(toStoredEvent);
  }

  /**
   * The last position of the log's committed prefix (readAll's rule): no transaction still
   * running can commit a row at or below it, so a read up to it gives the same rows tomorrow.
   */
  async committedHead(): Promise<number> {
    const [row] = await this.dataSource.query<{ position: string }[]>(
      `SELECT coalesce(max(position), 0) AS position FROM events WHERE ${COMMITTED_PREFIX}`,
    );
    return Number(row.position);
  }

  /** The log's last position visible to `reader`: a backward step of the primary key's index. */
  async lastPosition(reader: Reader = this.dataSource): Promise<number> {
    // A bigint: node-postgres hands it over as text.
    const [row] = await reader.query<{ position: string }[]>(
      'SELECT coalesce(max(position), 0) AS position FROM events',
    );
    return Number(row.position);
  }
}

/** A unique violation on the id means a concurrent writer stored the same id first with another payload. */
function translateError(error: unknown): unknown {
  const driverError = error as {
    code?: string;
    constraint?: string;
    parameters?: unknown[];
    driverError?: { constraint?: string };
  };
  const constraint = driverError.constraint ?? driverError.driverError?.constraint;
  if (driverError.code === '23505' && constraint === 'events_id_unique') {
    return new EventIdConflictError('(one of the appended events)');
  }
  return error;
}
