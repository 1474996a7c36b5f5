import type { MigrationInterface, QueryRunner } from 'typeorm';
import { LOCK_NAMESPACE_LOG } from '../src/event-store/lock-keys.js';

/**
 * Appends under the log lock in one call. The lock that makes transaction ids follow log
 * positions (gap-safe reading) used to be taken, used and released in three round trips, so it
 * was held for as long as the client took to answer each: under 16 writers most of them queued
 * on it. Here it is held only while PostgreSQL inserts the rows. If the INSERT fails, the
 * caller releases the lock (a session lock outlives the error).
 */
export class AppendFunction1763800400000 implements MigrationInterface {
  name = 'AppendFunction1763800400000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE FUNCTION append_events(
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
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query('DROP FUNCTION append_events');
  }
}
