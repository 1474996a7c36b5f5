import { Inject, Injectable, Logger, OnModuleDestroy, Optional } from '@nestjs/common';
import type pg from 'pg';
import { DataSource } from 'typeorm';
import { EventStore, type Reader } from './event-store.js';

/** The standby's pool (DATABASE_READ_URL), or null without one. */
export const READ_REPLICA = Symbol('READ_REPLICA');

/** Where one request reads, and the log position its answer reflects (at least: every event up to it is visible there). */
export interface Reading {
  readonly reader: Reader;
  readonly position: number;
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
const REPLICA_RETRY_MS = 1000;

/**
 * Chooses, per request, where a read goes (DESIGN section 10, stage 2). With a standby: there, if
 * it has replayed the log up to the position the client asks for (`minPosition`, the Log-Position
 * a write or an earlier read answered it); else, after waiting up to REPLICA_WAIT_MS for it, the
 * primary. Without one: the primary. The position answered is the log's last position visible
 * where the read goes, read before the read (an index-only probe of the log's primary key): a
 * standby replays commits in commit order and positions follow commits (the log lock is held
 * until commit), so everything up to it is visible there, and a client that sends it back never
 * reads an older log. The answer's rows are read after it, each statement in its own snapshot, so
 * an answer may also hold events written meanwhile; only one snapshot for the position and the
 * rows (a REPEATABLE READ transaction per read) would make the position exact (README, "Read
 * replicas", says when a client can notice).
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
    if (this.replica && Date.now() >= this.replicaDownUntil) {
      const started = Date.now();
      for (;;) {
        const replayed = await this.replayed(this.replica);
        if (replayed === undefined) break;
        if (minPosition === undefined || replayed >= minPosition) return { reader: this.replica, position: replayed };
        if (Date.now() - started >= REPLICA_WAIT_MS) break;
        await new Promise((resolve) => setTimeout(resolve, REPLICA_POLL_MS));
      }
    }
    return { reader: this.primary, position: await this.store.lastPosition(this.primary) };
  }

  /** The log's last position the standby shows, or undefined if it cannot be asked (then the primary answers). */
  private async replayed(replica: Reader): Promise<number | undefined> {
    try {
      const position = await this.store.lastPosition(replica);
      if (this.replicaDown) this.logger.log('the read replica answers again');
      this.replicaDown = false;
      return position;
    } catch (error) {
      if (!this.replicaDown)
        this.logger.warn(
          `the read replica failed (${error instanceof Error ? error.message : String(error)}); reading the primary until it answers`,
        );
      this.replicaDown = true;
      this.replicaDownUntil = Date.now() + REPLICA_RETRY_MS;
      return undefined;
    }
  }

  async onModuleDestroy(): Promise<void> {
    await this.pool?.end();
  }
}
