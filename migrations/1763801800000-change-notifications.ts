import type { MigrationInterface, QueryRunner } from 'typeorm';
import { Channel } from '../src/database/channels.js';

/** The catalog's tables whose every change makes processes reload their catalog. */
const CATALOG_TABLES = ['parties', 'speakers', 'speaker_roles', 'topics'];
/** NOTIFY payloads are at most 8000 bytes: a longer list of topics becomes a plain `items`. */
const MAX_PAYLOAD = 7900;

/**
 * The database tells every process what changed, on the channels of src/database/notifications.ts:
 * a statement trigger on the log (the highest position it inserted) and on each catalog table
 * (which table; for items only added, which topics). A NOTIFY is sent at commit, and never if
 * the transaction rolls back, so a process hears only of rows it can read. Triggers rather than
 * a NOTIFY in the app's write paths: every path (appends, COPY imports, seeds, catalog edits,
 * psql) then notifies without each having to remember to. One per statement, not per row: an
 * import of 20,000 rows sends one.
 */
export class ChangeNotifications1763801800000 implements MigrationInterface {
  name = 'ChangeNotifications1763801800000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE FUNCTION notify_log() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM pg_notify('${Channel.log}', (SELECT max(position)::text FROM added));
        RETURN NULL;
      END $$`);
    await db.query(`
      CREATE TRIGGER events_notify AFTER INSERT ON events REFERENCING NEW TABLE AS added
        FOR EACH STATEMENT EXECUTE FUNCTION notify_log()`);
    await db.query(`
      CREATE FUNCTION notify_catalog() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM pg_notify('${Channel.catalog}', TG_TABLE_NAME);
        RETURN NULL;
      END $$`);
    for (const table of [...CATALOG_TABLES, 'items'])
      await db.query(`
        CREATE TRIGGER ${table}_notify AFTER ${table === 'items' ? 'UPDATE OR DELETE OR TRUNCATE' : 'INSERT OR UPDATE OR DELETE OR TRUNCATE'} ON ${table}
          FOR EACH STATEMENT EXECUTE FUNCTION notify_catalog()`);
    // Items are added by proposals all the time: the others reload those topics' items only.
    await db.query(`
      CREATE FUNCTION notify_items_added() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE topics text := (SELECT string_agg(DISTINCT topic, ',') FROM added);
      BEGIN
        PERFORM pg_notify('${Channel.catalog}', CASE WHEN length(topics) > ${MAX_PAYLOAD} THEN 'items' ELSE 'items:' || topics END);
        RETURN NULL;
      END $$`);
    await db.query(`
      CREATE TRIGGER items_added_notify AFTER INSERT ON items REFERENCING NEW TABLE AS added
        FOR EACH STATEMENT EXECUTE FUNCTION notify_items_added()`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query('DROP TRIGGER items_added_notify ON items');
    await db.query('DROP FUNCTION notify_items_added()');
    for (const table of [...CATALOG_TABLES, 'items']) await db.query(`DROP TRIGGER ${table}_notify ON ${table}`);
    await db.query('DROP FUNCTION notify_catalog()');
    await db.query('DROP TRIGGER events_notify ON events');
    await db.query('DROP FUNCTION notify_log()');
  }
}
