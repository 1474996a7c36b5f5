/**
 * The bench's replica phase (`--replica`): how far a hot standby of the bench's database trails
 * the primary while the append phase writes (DESIGN section 10, stage 2). Sampled on the primary
 * from pg_stat_replication (WAL bytes not yet replayed, and replay_lag) and on both servers as log
 * positions (what a read with minPosition waits for).
 */
import pg from 'pg';
import { percentile } from './http.js';
import type { Row } from './row.js';

/** How often the lag is sampled during the append run. */
const SAMPLE_EVERY_MS = 100;

/** One sample: WAL bytes the standby has not replayed, its replay_lag, and the log positions it is behind. */
interface LagSample {
  readonly bytes: number;
  readonly ms: number;
  readonly positions: number;
}

export interface LagSampler {
  /** Stops sampling; the rows for the results table, and the line for its settings. */
  stop(): Promise<{ rows: Row[]; setting: string }>;
}

/**
 * Samples the standby's lag every SAMPLE_EVERY_MS until stopped. replay_lag is null when the
 * standby has replayed everything and nothing new came (PostgreSQL clears it when idle): counted
 * as 0. The positions are read primary first, so a sample never shows the standby ahead.
 */
export async function sampleReplicaLag(primaryUrl: string, standbyUrl: string): Promise<LagSampler> {
  const primary = new pg.Client({ connectionString: primaryUrl });
  const standby = new pg.Client({ connectionString: standbyUrl });
  await Promise.all([primary.connect(), standby.connect()]);
  const samples: LagSample[] = [];
  const head = async (client: pg.Client) =>
    Number((await client.query<{ p: string }>('SELECT coalesce(max(position), 0) AS p FROM events')).rows[0].p);
  const sample = async () => {
    const { rows } = await primary.query<{ bytes: string | null; ms: number | null }>(
      `SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), replay_lsn)::bigint AS bytes,
              extract(epoch FROM replay_lag) * 1000 AS ms
         FROM pg_stat_replication LIMIT 1`,
    );
    if (rows.length === 0)
      throw new Error('the primary has no standby streaming from it (pg_stat_replication is empty)');
    const written = await head(primary);
    const replayed = await head(standby);
    samples.push({
      bytes: Number(rows[0].bytes ?? 0),
      ms: Number(rows[0].ms ?? 0),
      positions: Math.max(0, written - replayed),
    });
  };
  let failure: Error | undefined;
  let sampling = Promise.resolve();
  const timer = setInterval(() => {
    sampling = sampling.then(sample).catch((error: unknown) => {
      failure ??= error instanceof Error ? error : new Error(String(error));
    });
  }, SAMPLE_EVERY_MS);
  return {
    stop: async () => {
      clearInterval(timer);
      await sampling;
      await Promise.all([primary.end(), standby.end()]);
      if (failure) throw failure;
      const of = (pick: (s: LagSample) => number) => {
        const values = samples.map(pick);
        return [50, 95, 100].map((p) => percentile(values, p));
      };
      const show = (values: number[], digits = 0) =>
        values.map((v) => v.toLocaleString('en-US', { maximumFractionDigits: digits })).join(' / ');
      return {
        rows: [
          {
            measure: 'Replica lag during appends: WAL not yet replayed, p50 / p95 / max (bytes)',
            target: '',
            project: show(of((s) => s.bytes)),
            baseline: '',
          },
          {
            measure: 'Replica lag during appends: replay_lag p50 / p95 / max (ms)',
            target: '',
            project: show(
              of((s) => s.ms),
              1,
            ),
            baseline: '',
          },
          {
            measure: 'Replica lag during appends: log positions behind the primary p50 / p95 / max',
            target: '',
            project: show(of((s) => s.positions)),
            baseline: '',
          },
        ],
        setting: `Replica: a hot standby made with pg_basebackup -R (asynchronous streaming), the server reading from it (DATABASE_READ_URL); lag sampled every ${SAMPLE_EVERY_MS} ms during the append run, ${samples.length} samples, from pg_stat_replication on the primary and the log's last position on each server`,
      };
    },
  };
}
