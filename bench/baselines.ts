/**
 * What the database alone does with the same data, measured in the same run: the floor
 * under each figure of the project.
 */
import pg from 'pg';
import { withClient } from '../src/database/scratch-database.js';
import copyStreams from 'pg-copy-streams';
import { createReadStream, createWriteStream, rmSync } from 'node:fs';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { performance } from 'node:perf_hooks';

const COLUMNS = 'id, stream, version, type, data, metadata, occurred_from, occurred_to, reported_at';

/**
 * A scratch copy of the events table: same columns, indexes and constraints, but not the log's
 * triggers (LIKE copies none), so no hash chain: the hash is left empty, the chain is the project's cost.
 */
const scratchCopyOfEvents = (table: string) =>
  `CREATE TABLE ${table} (LIKE events INCLUDING ALL); ALTER TABLE ${table} ALTER COLUMN hash DROP NOT NULL`;

/**
 * COPY of the imported rows (as stored: same columns, same JSONB) into a scratch copy of the
 * events table with the same indexes and constraints. Only the COPY FROM is timed.
 */
export async function copyBaseline(url: string, dir: string): Promise<{ rows: number; seconds: number }> {
  const file = join(dir, 'events.copy');
  return withClient(url, async (client) => {
    await pipeline(
      client.query(copyStreams.to(`COPY (SELECT ${COLUMNS} FROM events ORDER BY position) TO STDOUT`)),
      createWriteStream(file),
    );
    await client.query('DROP TABLE IF EXISTS bench_copy');
    await client.query(scratchCopyOfEvents('bench_copy'));
    const started = performance.now();
    const copy = client.query(copyStreams.from(`COPY bench_copy (${COLUMNS}) FROM STDIN`));
    await pipeline(createReadStream(file), copy);
    const seconds = (performance.now() - started) / 1000;
    await client.query('DROP TABLE bench_copy');
    rmSync(file, { force: true });
    return { rows: Number(copy.rowCount), seconds };
  });
}

/** A sequential read of the whole log into this process (COPY TO STDOUT), bytes counted and dropped. */
export async function sequentialReadBaseline(url: string): Promise<{ bytes: number; seconds: number }> {
  return withClient(url, async (client) => {
    let bytes = 0;
    const started = performance.now();
    await pipeline(
      client.query(copyStreams.to('COPY events TO STDOUT')),
      new Writable({
        write(chunk: Buffer, _encoding, done) {
          bytes += chunk.length;
          done();
        },
      }),
    );
    return { bytes, seconds: (performance.now() - started) / 1000 };
  });
}

/**
 * One-row INSERT transactions (autocommit) from `connections` clients into a scratch copy of
 * the events table, for `seconds`. `data` is a stored event's JSONB, so rows weigh the same.
 */
export async function insertBaseline(
  url: string,
  connections: number,
  seconds: number,
  data: string,
): Promise<{ inserts: number; seconds: number }> {
  await withClient(url, async (client) => {
    await client.query('DROP TABLE IF EXISTS bench_insert');
    await client.query(scratchCopyOfEvents('bench_insert'));
  });
  const pool = new pg.Pool({ connectionString: url, max: connections });
  let inserts = 0;
  const started = performance.now();
  const deadline = started + seconds * 1000;
  await Promise.all(
    Array.from({ length: connections }, async (_, worker) => {
      for (let version = 1; performance.now() < deadline; version++) {
        await pool.query(
          `INSERT INTO bench_insert (${COLUMNS}) VALUES (gen_random_uuid(), $1, $2, 'statement', $3, '{}', current_date, current_date, now())`,
          [`bench-${worker}`, version, data],
        );
        inserts++;
      }
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  await pool.end();
  await withClient(url, (client) => client.query('DROP TABLE bench_insert'));
  return { inserts, seconds: elapsed };
}

/** A stored body's evidence references: the JSON strings under "evidence" and "retraction", or the whole body when it is one. */
const REFS = /"(?:evidence|retraction)":"([^"]+)"|^"([^"]+)"$/g;

/**
 * The lookups the position query needs, timed from this process over a pool: the party's
 * element versions valid on the day, then the evidence cards they name.
 */
export async function lookupBaseline(
  url: string,
  connections: number,
  seconds: number,
  next: () => { party: string; at: string; topic?: string },
): Promise<{ latencies: number[]; seconds: number }> {
  const pool = new pg.Pool({ connectionString: url, max: connections });
  const latencies: number[] = [];
  const started = performance.now();
  const deadline = started + seconds * 1000;
  await Promise.all(
    Array.from({ length: connections }, async () => {
      while (performance.now() < deadline) {
        const { party, at, topic } = next();
        const t0 = performance.now();
        const { rows } = await pool.query(
          'SELECT topic, party, key, body FROM position_elements WHERE party = $1 AND valid_to > $2::date AND valid_from <= $2::date' +
            ' AND hidden_from > $2::date' + // the default history window, as the reader asks it
            (topic ? ' AND topic = $3' : ''),
          topic ? [party, at, topic] : [party, at],
        );
        const refs = new Set<string>();
        for (const { body } of rows as { body: string }[]) for (const m of body.matchAll(REFS)) refs.add(m[1] ?? m[2]);
        await pool.query('SELECT ref, card FROM evidence_cards WHERE ref = ANY($1::text[])', [[...refs]]);
        latencies.push(performance.now() - t0);
      }
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  await pool.end();
  return { latencies, seconds: elapsed };
}
