import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

/** The last event of the log and its hash (hex): what an outside record of the log keeps. */
export interface ChainHead {
  readonly position: number;
  readonly hash: string | null;
}

/** The first row whose stored hash is not event_hash of the row before it and itself. */
export interface ChainBreak {
  readonly position: number;
  readonly id: string;
  /** The row it was checked against (0: none, it is the first row). */
  readonly previousPosition: number;
}

export interface ChainReport {
  /** Rows found intact (before the break, if any). */
  readonly checked: number;
  readonly head: ChainHead;
  readonly broken?: ChainBreak;
}

/**
 * Rows per statement: 50,000 rows are checked in about 0.5 s here, and keyset paging keeps each
 * statement on the primary key, so memory stays flat however long the log is.
 */
const BATCH = 50_000;

/**
 * The log's hash chain (migrations/1763801200000-hash-chain.ts owns the rule: event_hash). Each
 * row is checked against the stored hash of the row before it: an altered row breaks its own
 * link (or, with its hash recomputed, the next one), a deleted row breaks the link of the row after it.
 */
@Injectable()
export class LogChain {
  constructor(private readonly dataSource: DataSource) {}

  /** One backward step of the primary key. */
  async head(): Promise<ChainHead> {
    const [row] = await this.dataSource.query<{ position: string; hash: string }[]>(
      `SELECT position, encode(hash, 'hex') AS hash FROM events ORDER BY position DESC LIMIT 1`,
    );
    return row ? { position: Number(row.position), hash: row.hash } : { position: 0, hash: null };
  }

  /** Walks the chain in position order, in batches; stops at the first break. */
  async verify(onProgress?: (checked: number) => void): Promise<ChainReport> {
    let after = { position: 0, hash: null as string | null };
    let checked = 0;
    for (;;) {
      const [batch] = await this.dataSource.query<
        {
          rows: number;
          last_position: string | null;
          last_hash: string | null;
          bad_position: string | null;
          bad_id: string | null;
          bad_previous: string | null;
          bad_n: string | null;
        }[]
      >(
        `WITH page AS (
           SELECT position, id, hash, row_number() OVER w AS n,
                  coalesce(lag(position) OVER w, $1) AS previous_position,
                  hash = event_hash(CASE WHEN lag(position) OVER w IS NULL THEN decode($2, 'hex') ELSE lag(hash) OVER w END, e) AS intact
             FROM events e WHERE position > $1
           WINDOW w AS (ORDER BY position)
            ORDER BY position LIMIT $3),
         bad AS (SELECT * FROM page WHERE NOT intact ORDER BY position LIMIT 1),
         last AS (SELECT * FROM page ORDER BY position DESC LIMIT 1)
         SELECT (SELECT count(*)::int FROM page) AS rows,
                (SELECT position FROM last) AS last_position, (SELECT encode(hash, 'hex') FROM last) AS last_hash,
                (SELECT position FROM bad) AS bad_position, (SELECT id FROM bad) AS bad_id,
                (SELECT previous_position FROM bad) AS bad_previous, (SELECT n FROM bad) AS bad_n`,
        [after.position, after.hash, BATCH],
      );
      if (batch.bad_position !== null) {
        return {
          checked: checked + Number(batch.bad_n) - 1,
          head: await this.head(),
          broken: {
            position: Number(batch.bad_position),
            id: batch.bad_id!,
            previousPosition: Number(batch.bad_previous),
          },
        };
      }
      if (batch.rows === 0) return { checked, head: { position: after.position, hash: after.hash } };
      checked += batch.rows;
      after = { position: Number(batch.last_position), hash: batch.last_hash };
      onProgress?.(checked);
    }
  }
}
