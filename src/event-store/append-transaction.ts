/**
 * One transaction on the log as a writer sees it (AppendTransaction): the streams' locks, the read
 * a writer decides on, and the one append with its modes; EventStore.transaction opens it.
 */
import type { PoolClient } from 'pg';
import type { EntityManager, QueryRunner } from 'typeorm';
import { isUuidShaped } from '../shared/ids.js';
import { canonicalJson } from '../shared/canonical-json.js';
import { copyRows } from '../database/copy-rows.js';
import { prepared } from '../database/prepared.js';
import { EventIdConflictError, WrongExpectedVersionError } from './event-store.errors.js';
import { EVENT_COLUMNS, type EventRow, iso, type Placed, storedEvent, toStoredEvent } from './event-rows.js';
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

/** A text as an SQL literal (standard_conforming_strings, PostgreSQL's default since 9.1). */
export const quoted = (text: string) => `'${text.replaceAll("'", "''")}'`;

/** A literal array of quoted texts, for a simple query. */
export const arrayOf = (texts: readonly string[], type: 'text' | 'uuid') =>
  `ARRAY[${texts.map(quoted).join(', ')}]::${type}[]`;

/**
 * The versions of some streams (in the order given, the array expression `streams`) and the
 * events stored under some ids (`ids`), in one statement: what a writer reads before it decides.
 * One backward index step per stream: `max(version) ... GROUP BY stream` read every event of them.
 */
export const streamsReadSql = (streams: string, ids: string) =>
  `SELECT (SELECT json_agg((SELECT coalesce(max(version), 0) FROM events WHERE stream = s) ORDER BY n) FROM unnest(${streams}) WITH ORDINALITY AS t(s, n)) AS versions,
          (SELECT coalesce(json_agg(r), '[]') FROM (SELECT ${EVENT_COLUMNS} FROM events WHERE id = ANY(${ids})) AS r) AS stored`;

export interface StreamsReadRow {
  versions: number[] | null;
  stored: EventRow[];
}

export const streamsRead = (streams: readonly string[], ids: readonly string[], row: StreamsReadRow): StreamsRead => ({
  versions: new Map(streams.map((stream, i) => [stream, row.versions![i]])),
  ids: new Set(ids),
  stored: new Map(row.stored.map((r) => [r.id, toStoredEvent(r)])),
});

/** The lock on one stream until the transaction ends; `stream` is an SQL expression of its name. */
export const streamLock = (stream: string) => `pg_advisory_xact_lock(${LOCK_NAMESPACE_STREAM}, hashtext(${stream}))`;

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
    const appended = rows.map(({ stream, version, event }, i) => storedEvent(stream, version, event, placed[i]));
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
    const appended = rows.map(({ stream, version, event }, i) => storedEvent(stream, version, event, placed[i]));
    this.noteAppended(appended);
    return appended;
  }

  private noteAppended(appended: readonly StoredEvent[]): void {
    for (const { position } of appended) this.lastPosition = Math.max(this.lastPosition ?? 0, position);
  }
}
