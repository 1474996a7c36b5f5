import type { MigrationInterface, QueryRunner } from 'typeorm';
import { LOCK_NAMESPACE_LOG } from '../src/event-store/lock-keys.js';

/**
 * Tamper evidence (docs/architecture.md, "The hash chain"): each event row stores
 * `hash = sha256(previous row's hash || canonical text of the row)`, previous in position order.
 *
 * - `event_hash(previous, row)` is the one definition of a row's hash: the insert trigger, this
 *   migration's backfill and `npm run verify` (LogChain) all call it. The canonical text is a
 *   JSON array (jsonb's text is canonical: keys sorted, no spaces) of position, id, stream,
 *   version, type, data, metadata, the occurred days and the two instants in UTC with
 *   microseconds, each formatted explicitly so that no session setting (DateStyle, TimeZone)
 *   changes it. The first row's previous hash is the empty string.
 * - A BEFORE INSERT trigger sets it, so every path that inserts (append_events, the import's
 *   COPY, a hand-written INSERT) chains alike. It takes the log lock for the rest of the
 *   transaction: a row may only chain on committed rows, or a writer that rolled back would
 *   leave the next writer's link pointing at a row that never existed. So append_events (below)
 *   and the import's COPY (then appendCopied, now append's bulk mode) hold the log lock until
 *   commit, not only while inserting.
 * - The previous hash is read from the last row by position (one backward step of the primary
 *   key); a row inserted out of position order (an INSERT that got its position before it waited
 *   for the lock) is refused rather than chained wrongly.
 *
 * Measured on this 2-core VM, server PostgreSQL 15, beside other sessions' tests (noisy):
 * - the trigger alone: COPY of 200,000 event-sized rows 8.9 s into a copy of events without
 *   triggers, 11.6 s into events (+14 µs a row: a row trigger also turns off COPY's multi-row
 *   inserts); INSERT ... SELECT of 800,000 rows 29.7 s against 58.4 s (+36 µs a row);
 * - `npm run bench -- --events 100000`, before and after: the import through the domain went
 *   from 1,548 to 1,284 events/s (64.6 s to 77.9 s: the trigger is about 1.4 s of the 13 s; the
 *   rest is the two import transactions no longer overlapping between COPY and commit), appends
 *   from 16 clients from 189 to 194/s (group commit: two writers, and batches grow while one
 *   waits), rebuild 20.0 s to 20.9 s;
 * - verification of 1,000,000 rows: 36 s, 90 MB of memory (LogChain);
 * - this migration on a log of 1,000,000 rows: 165 s, once (the UPDATE writes every row again),
 *   and the head it computes is the one the insert trigger gave the same rows.
 */
export class HashChain1763801200000 implements MigrationInterface {
  name = 'HashChain1763801200000';

  async up(db: QueryRunner): Promise<void> {
    await db.query('ALTER TABLE events ADD COLUMN hash bytea');
    await db.query(`
      CREATE FUNCTION event_hash(previous bytea, e events) RETURNS bytea
        LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
        SELECT pg_catalog.sha256(coalesce(previous, '\\x'::bytea) || pg_catalog.convert_to(pg_catalog.jsonb_build_array(
          e.position, e.id, e.stream, e.version, e.type, e.data, e.metadata,
          pg_catalog.to_char(e.occurred_from, 'YYYY-MM-DD'), pg_catalog.to_char(e.occurred_to, 'YYYY-MM-DD'),
          pg_catalog.to_char(e.reported_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
          pg_catalog.to_char(e.recorded_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'))::text, 'UTF8'))
      $$`);
    // The chain of a whole log in one pass (event_hash as the step): for the backfill below.
    await db.query('CREATE AGGREGATE event_chain(events) (SFUNC = event_hash, STYPE = bytea)');

    // Existing rows, in position order. The owner lifts the append-only trigger for this one statement.
    await db.query(`SELECT pg_advisory_xact_lock(${LOCK_NAMESPACE_LOG}, 0)`);
    await db.query('ALTER TABLE events DISABLE TRIGGER events_no_update_or_delete');
    await db.query(`
      UPDATE events SET hash = chained.hash
        FROM (SELECT position, event_chain(e) OVER (ORDER BY position) AS hash FROM events e) AS chained
       WHERE events.position = chained.position`);
    await db.query('ALTER TABLE events ENABLE TRIGGER events_no_update_or_delete');
    await db.query('ALTER TABLE events ALTER COLUMN hash SET NOT NULL');

    await db.query(`
      CREATE FUNCTION events_chain() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE
        head_position bigint;
        head_hash bytea;
      BEGIN
        PERFORM pg_advisory_xact_lock(${LOCK_NAMESPACE_LOG}, 0);
        SELECT position, hash INTO head_position, head_hash FROM events ORDER BY position DESC LIMIT 1;
        IF head_position >= NEW.position THEN
          RAISE EXCEPTION 'event % got position % before the log lock, after position %: append through append_events',
            NEW.id, NEW.position, head_position;
        END IF;
        NEW.hash := event_hash(head_hash, NEW);
        RETURN NEW;
      END $$`);
    await db.query('CREATE TRIGGER events_chain BEFORE INSERT ON events FOR EACH ROW EXECUTE FUNCTION events_chain()');

    await db.query(`
      CREATE OR REPLACE FUNCTION append_events(
        ids uuid[], streams text[], versions int[], types text[], datas jsonb[], metadatas jsonb[],
        froms date[], tos date[], reported timestamptz[]
      ) RETURNS SETOF events LANGUAGE plpgsql AS $$
      BEGIN
        IF pg_current_xact_id_if_assigned() IS NOT NULL THEN
          RAISE EXCEPTION 'the event append must be the first write of its transaction (gap-safe log order)';
        END IF;
        PERFORM pg_advisory_xact_lock(${LOCK_NAMESPACE_LOG}, 0);
        RETURN QUERY
          INSERT INTO events (id, stream, version, type, data, metadata, occurred_from, occurred_to, reported_at)
          SELECT * FROM unnest(ids, streams, versions, types, datas, metadatas, froms, tos, reported)
          RETURNING *;
      END $$`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE OR REPLACE FUNCTION append_events(
        ids uuid[], streams text[], versions int[], types text[], datas jsonb[], metadatas jsonb[],
        froms date[], tos date[], reported timestamptz[]
      ) RETURNS SETOF events LANGUAGE plpgsql AS $$
      BEGIN
        IF pg_current_xact_id_if_assigned() IS NOT NULL THEN
          RAISE EXCEPTION 'the event append must be the first write of its transaction (gap-safe log order)';
        END IF;
        PERFORM pg_advisory_lock(${LOCK_NAMESPACE_LOG}, 0);
        RETURN QUERY
          INSERT INTO events (id, stream, version, type, data, metadata, occurred_from, occurred_to, reported_at)
          SELECT * FROM unnest(ids, streams, versions, types, datas, metadatas, froms, tos, reported)
          RETURNING *;
        PERFORM pg_advisory_unlock(${LOCK_NAMESPACE_LOG}, 0);
      END $$`);
    await db.query('DROP TRIGGER events_chain ON events');
    await db.query('DROP FUNCTION events_chain()');
    await db.query('DROP AGGREGATE event_chain(events)');
    await db.query('DROP FUNCTION event_hash(bytea, events)');
    await db.query('ALTER TABLE events DROP COLUMN hash');
  }
}
