import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The append-only event log (docs/architecture.md, "The event log"). transaction_id lets readers
 * follow the log without skipping rows committed late by concurrent writers.
 */
export class CreateEventStore1763800000000 implements MigrationInterface {
  name = 'CreateEventStore1763800000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE events (
        position        bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        id              uuid NOT NULL,
        stream          text NOT NULL,
        version         integer NOT NULL CHECK (version > 0),
        type            text NOT NULL,
        data            jsonb NOT NULL,
        metadata        jsonb NOT NULL DEFAULT '{}'::jsonb,
        occurred_from   date,
        occurred_to     date,
        reported_at     timestamptz,
        recorded_at     timestamptz NOT NULL DEFAULT clock_timestamp(),
        transaction_id  xid8 NOT NULL DEFAULT pg_current_xact_id(),
        CONSTRAINT events_id_unique UNIQUE (id),
        CONSTRAINT events_stream_version_unique UNIQUE (stream, version),
        CONSTRAINT events_occurred_ordered CHECK (occurred_from IS NULL OR occurred_to IS NULL OR occurred_from <= occurred_to)
      )`);
    await db.query(`
      CREATE FUNCTION events_are_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'the event log is append-only: % on events is not allowed; record a correction or retraction event instead', TG_OP
          USING ERRCODE = 'restrict_violation';
      END $$`);
    await db.query(`
      CREATE TRIGGER events_no_update_or_delete BEFORE UPDATE OR DELETE ON events
        FOR EACH ROW EXECUTE FUNCTION events_are_append_only()`);
    await db.query(`
      CREATE TRIGGER events_no_truncate BEFORE TRUNCATE ON events
        FOR EACH STATEMENT EXECUTE FUNCTION events_are_append_only()`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query('DROP TABLE events');
    await db.query('DROP FUNCTION events_are_append_only()');
  }
}
