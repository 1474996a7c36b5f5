/**
 * The append-only log (docs/architecture.md, "The event log"): writers' transactions
 * (AppendTransaction, append-transaction.ts), reads of streams and documents, and the gap-safe
 * read of the whole log (readAll, committedHead).
 */
import { Injectable, Optional } from '@nestjs/common';
import type { PoolClient } from 'pg';
import { DataSource, EntityManager } from 'typeorm';
import { isUuidShaped } from '../shared/ids.js';
import { Channel, DatabaseNotifications } from '../database/notifications.js';
import { EventIdConflictError } from './event-store.errors.js';
import { document, EVENT_COLUMNS, type EventRow, toStoredEvent } from './event-rows.js';
import {
  AppendTransaction,
  arrayOf,
  type InlineProjection,
  quoted,
  streamLock,
  streamsRead,
  streamsReadSql,
  type StreamsReadRow,
} from './append-transaction.js';
import { lockOrder } from './lock-keys.js';
import type { AppendResult, EventToAppend, StoredEvent } from './stored-event.js';

/** Where a read runs its statements: the primary's data source, a standby's (LogReads), or a transaction's manager. */
export type Reader = Pick<DataSource, 'query'>;

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
      `SELECT stream, version, ${document('$4', omit)} AS event FROM events WHERE (stream, version) > ($1, $2) ORDER BY stream, version LIMIT $3`,
      [after.stream, after.version, limit, streamAs],
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
    detail?: string;
    parameters?: unknown[];
    driverError?: { constraint?: string; detail?: string };
  };
  const constraint = driverError.constraint ?? driverError.driverError?.constraint;
  if (driverError.code === '23505' && constraint === 'events_id_unique') {
    // PostgreSQL names the row's key in its detail, "Key (id)=(<uuid>) already exists.": the
    // answer names the id, as when the id was found stored before the append.
    const detail = driverError.detail ?? driverError.driverError?.detail ?? '';
    return new EventIdConflictError(/Key \(id\)=\(([^)]+)\)/.exec(detail)?.[1] ?? '(one of the appended events)');
  }
  return error;
}
