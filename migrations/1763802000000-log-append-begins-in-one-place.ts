import type { MigrationInterface, QueryRunner } from 'typeorm';
import { LOCK_NAMESPACE_LOG } from '../src/event-store/lock-keys.js';

/** What begins every append to the log until this migration: the rule, then the lock. */
const APPEND_BODY = `
        IF pg_current_xact_id_if_assigned() IS NOT NULL THEN
          RAISE EXCEPTION 'the event append must be the first write of its transaction (gap-safe log order)';
        END IF;
        PERFORM pg_advisory_xact_lock(${LOCK_NAMESPACE_LOG}, 0);`;

const appendEvents = (begin: string) => `
      CREATE OR REPLACE FUNCTION append_events(
        ids uuid[], streams text[], versions int[], types text[], datas jsonb[], metadatas jsonb[],
        froms date[], tos date[], reported timestamptz[]
      ) RETURNS SETOF events LANGUAGE plpgsql AS $$
      BEGIN${begin}
        RETURN QUERY
          INSERT INTO events (id, stream, version, type, data, metadata, occurred_from, occurred_to, reported_at)
          SELECT * FROM unnest(ids, streams, versions, types, datas, metadatas, froms, tos, reported)
          RETURNING *;
      END $$`;

/**
 * The beginning of an append, said once (docs/architecture.md, "The event log"): the append must
 * be its transaction's first write (the readers' transaction-id rule, COMMITTED_PREFIX, counts on
 * it), and it takes the log lock, held until commit (the hash chain). Both append modes wrote it:
 * append_events in SQL for a request, and the bulk mode in TypeScript before its COPY, which
 * cannot call a function. `begin_log_append()` is now its one owner: append_events calls it, and
 * the bulk mode calls it before the COPY (the same round trip it made before).
 */
export class LogAppendBeginsInOnePlace1763802000000 implements MigrationInterface {
  name = 'LogAppendBeginsInOnePlace1763802000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE FUNCTION begin_log_append() RETURNS void LANGUAGE plpgsql AS $$
      BEGIN${APPEND_BODY}
      END $$`);
    await db.query(
      appendEvents(`
        PERFORM begin_log_append();`),
    );
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(appendEvents(APPEND_BODY));
    await db.query('DROP FUNCTION begin_log_append()');
  }
}
