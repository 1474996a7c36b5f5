import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Element versions name their evidence by reference instead of carrying it: each event's
 * evidence is stored once, in evidence_cards, instead of in every version it backs (3.6 versions
 * per event at 1,000,000 events, 2.6 GB of JSONB). Bodies are JSON text: PostgreSQL never looks
 * inside them, and text is cheaper to write and read than JSONB.
 *
 * Open versions end at 'infinity' rather than NULL, so one plain btree serves every lookup:
 * a party's elements on a day (party, then each topic's range of validity), a topic's (its
 * parties, listed in topic_states), and the open version of one element that a write closes.
 *
 * The projection is emptied: it is rebuilt from the log when the app next starts.
 */
export class NarrowProjection1763800600000 implements MigrationInterface {
  name = 'NarrowProjection1763800600000';

  async up(db: QueryRunner): Promise<void> {
    await db.query('DROP TABLE position_elements');
    await db.query(`
      CREATE TABLE position_elements (
        party       text NOT NULL,
        topic       text NOT NULL,
        key         text NOT NULL,
        valid_from  date NOT NULL,
        valid_to    date NOT NULL,
        body        text NOT NULL,
        CONSTRAINT position_elements_validity CHECK (valid_from < valid_to)
      )`);
    await db.query(
      'CREATE INDEX position_elements_by_party ON position_elements (party, topic, valid_to, valid_from, key)',
    );
    await db.query('CREATE TABLE evidence_cards (ref text PRIMARY KEY, card text NOT NULL)');
    await db.query(`ALTER TABLE topic_states ADD COLUMN parties text[] NOT NULL DEFAULT '{}'`);
    await db.query('TRUNCATE topic_states');
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query('DROP TABLE position_elements, evidence_cards');
    await db.query('ALTER TABLE topic_states DROP COLUMN parties');
    await db.query(`
      CREATE TABLE position_elements (
        topic text NOT NULL, party text NOT NULL, key text NOT NULL, valid_from date NOT NULL, valid_to date, body jsonb NOT NULL,
        PRIMARY KEY (topic, party, key, valid_from), CHECK (valid_to IS NULL OR valid_from < valid_to)
      )`);
    await db.query(
      `CREATE INDEX position_elements_party_day ON position_elements (party, (coalesce(valid_to, 'infinity'::date)), valid_from)`,
    );
    await db.query(
      `CREATE INDEX position_elements_topic_day ON position_elements (topic, party, (coalesce(valid_to, 'infinity'::date)), valid_from)`,
    );
    await db.query(
      'CREATE INDEX position_elements_open ON position_elements (topic, party, key) WHERE valid_to IS NULL',
    );
    await db.query('TRUNCATE topic_states');
  }
}
