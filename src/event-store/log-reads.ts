import { Inject, Injectable, Logger, OnModuleDestroy, Optional } from '@nestjs/common';
import type pg from 'pg';
import { DataSource } from 'typeorm';
import { EventStore, type Reader } from './event-store.js';

/** A connection a read holds while it runs, and how it gives it back. */
interface Held {
  readonly client: Pick<pg.PoolClient, 'query'>;
  release(broken?: Error): void;
}

/**
 * Opens the read's snapshot and reads the log position in it, in one round trip: every statement
 * of the read then sees the log exactly up to that position (REPEATABLE READ: one snapshot for
 * the transaction, taken by its first statement; READ ONLY, which a standby requires).
 */
const SNAPSHOT_AND_POSITION =
  'BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY; SELECT coalesce(max(position), 0) AS position FROM events';

/** The standby's pool (DATABASE_READ_URL), or null without one. */
export const READ_REPLICA = Symbol('READ_REPLICA');

/**
 * Where one request reads, and the log position its answer reflects: its reader sees every event
 * up to it and none after (one snapshot). `end` gives the reader's connection back; call it once
 * the read is done (LogReadingInterceptor does, when the route's handler is done).
 */
export interface Reading {
  readonly reader: Reader;
  readonly position: number;
  end(): void;
}

/**
 * How long a read asking for `minPosition` waits for the standby to replay that far before it
 * reads the primary. Measured (`npm run bench -- --replica`, 1,000,000 events, 656 appends/s from
 * 16 clients): the standby was 71 / 112 / 144 log positions behind (p50 / p95 / max), about 110 /
 * 170 / 220 ms of appends, so a client reading right after its own write usually gets the standby
 * within this wait; longer than this and the primary answers faster anyway.
 */
export const REPLICA_WAIT_MS = 250;
/** How often the standby's position is asked again while a read waits for it: one index probe each. */
const REPLICA_POLL_MS = 10;
/** After the standby fails, reads go straight to the primary this long before it is asked again (no connect timeout per read). */
export const REPLICA_RETRY_MS = 1000;

/**
 * Chooses, per request, where a read goes (DESIGN section 10, stage 2). With a standby: there, if
 * it has replayed the log up to the position the client asks for (`minPosition`, the Log-Position
 * a write or an earlier read answered it); else, after waiting up to REPLICA_WAIT_MS for it, the
 * primary. Without one: the primary. The read runs in one snapshot (a read-only REPEATABLE READ
 * transaction on one connection), and the position answered is the log's last position in that
 * snapshot (an index-only probe of the log's primary key, the transaction's first statement): a
 * standby replays commits in commit order and positions follow commits (the log lock is held
 * until commit), so the answer holds every event up to it and none after. A client that sends it
 * back therefore never reads an older log than any answer it was given showed, even when one read
 * went to the primary and the next to the standby. (Read before the rows in their own snapshots,
 * as until 2026-12-07, an answer could hold events written after its position, which a next read
 * on a standby not yet there would not show.) The price: the connection is held for the read,
 * and a read's statements run one after another on it, plus a COMMIT the answer does not wait for.
 */
@Injectable()
export class LogReads implements OnModuleDestroy {
  private readonly logger = new Logger(LogReads.name);
  /** Until when the standby is not asked, after it failed (its failures are logged when they start and end). */
  private replicaDownUntil = 0;
  private replicaDown = false;

  /** The standby's pool as a Reader: its statements answer their rows, as a data source's do. */
  private readonly replica: Reader | null;

  constructor(
    private readonly primary: DataSource,
    private readonly store: EventStore,
    @Optional() @Inject(READ_REPLICA) private readonly pool: pg.Pool | null = null,
  ) {
    this.replica = pool && {
      query: async <T>(sql: string, params?: unknown[]) => (await pool.query(sql, params)).rows as T,
    };
  }

  /** Where a request reads: the standby once it has replayed up to `minPosition` (if asked), else the primary. */
  async reading(minPosition?: number): Promise<Reading> {
    if (this.replica && this.pool && Date.now() >= this.replicaDownUntil) {
      const started = Date.now();
      for (;;) {
        const replayed = await this.replayed(this.replica);
        if (replayed === undefined) break;
        if (minPosition === undefined || replayed >= minPosition) {
          // The snapshot's position is at least what was polled: a standby's log only grows.
          try {
            const client = await this.pool.connect();
            return await this.inSnapshot({ client, release: (broken?: Error) => client.release(broken) });
          } catch (error) {
            this.noteReplicaFailure(error); // the primary answers this read
          }
          break;
        }
        if (Date.now() - started >= REPLICA_WAIT_MS) break;
        await new Promise((resolve) => setTimeout(resolve, REPLICA_POLL_MS));
      }
    }
    const runner = this.primary.createQueryRunner();
    const client = (await runner.connect()) as pg.PoolClient;
    return this.inSnapshot({ client, release: () => void runner.release() });
  }

  /** Opens a read's snapshot on a held connection, its position read in it. */
  private async inSnapshot(held: Held): Promise<Reading> {
    let position: number;
    try {
      const results = (await held.client.query(SNAPSHOT_AND_POSITION)) as unknown as pg.QueryResult<{
        position: string;
      }>[];
      position = Number(results[1].rows[0].position); // a bigint: node-postgres hands it over as text
    } catch (error) {
      // The connection goes back to a pool: not inside a transaction (a broken one is dropped).
      await held.client.query('ROLLBACK').catch(() => undefined);
      held.release(error instanceof Error ? error : new Error(String(error)));
      throw error;
    }
    let ended = false;
    return {
      reader: { query: async <T>(sql: string, params?: unknown[]) => (await held.client.query(sql, params)).rows as T },
      position,
      end: () => {
        if (ended) return;
        ended = true;
        // Read only: COMMIT ends it (ROLLBACK if a statement failed); nobody waits for it.
        held.client.query('COMMIT').then(
          () => held.release(),
          (error: unknown) => held.release(error instanceof Error ? error : new Error(String(error))),
        );
      },
    };
  }

  /** The log's last position the standby shows, or undefined if it cannot be asked (then the primary answers). */
  private async replayed(replica: Reader): Promise<number | undefined> {
    try {
      const position = await this.store.lastPosition(replica);
      if (this.replicaDown) this.logger.log('the read replica answers again');
      this.replicaDown = false;
      return position;
    } catch (error) {
      this.noteReplicaFailure(error);
      return undefined;
    }
  }

  private noteReplicaFailure(error: unknown): void {
    if (!this.replicaDown)
      this.logger.warn(
        `the read replica failed (${error instanceof Error ? error.message : String(error)}); reading the primary until it answers`,
      );
    this.replicaDown = true;
    this.replicaDownUntil = Date.now() + REPLICA_RETRY_MS;
  }

  async onModuleDestroy(): Promise<void> {
    await this.pool?.end();
  }
}
