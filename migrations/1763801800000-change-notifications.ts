import type { MigrationInterface, QueryRunner } from 'typeorm';
import { Channel } from '../src/database/channels.js';

/** The catalog's tables whose every change makes processes reload their catalog. */
const CATALOG_TABLES = ['parties', 'speakers', 'speaker_roles', 'topics'];

/**
 * The database tells every process when the catalog changed, on the channel of
 * src/database/channels.ts: a statement trigger on each catalog table (its name as the payload),
 * and on items changed or deleted (added items are told by the process that added them, after
 * commit). A NOTIFY is sent at commit, never if the transaction rolls back. Triggers, so that
 * every path (the API, seeds, psql) tells; these writes are rare. Not on the log: PostgreSQL
 * serializes the commits of notifying transactions, WAL flush included, and a trigger on the log
 * brought 16 writers from 809 to 67 appends/s (DatabaseNotifications.tell says what tells instead).
 */
export class ChangeNotifications1763801800000 implements MigrationInterface {
  name = 'ChangeNotifications1763801800000';

  async up(db: QueryRunner): Promise<void> {
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
  }

  async down(db: QueryRunner): Promise<void> {
    for (const table of [...CATALOG_TABLES, 'items']) await db.query(`DROP TRIGGER ${table}_notify ON ${table}`);
    await db.query('DROP FUNCTION notify_catalog()');
  }
}
