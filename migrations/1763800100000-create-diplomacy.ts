import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The diplomacy context: the catalog (parties, speakers, topics, items) and the position
 * projection. position_elements is a temporal table: each element of a party's position
 * (an open proposal, a demand, a stance on an item...) with the days it was valid.
 */
export class CreateDiplomacy1763800100000 implements MigrationInterface {
  name = 'CreateDiplomacy1763800100000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`CREATE EXTENSION IF NOT EXISTS btree_gist`);
    await db.query(`
      CREATE TABLE parties (
        slug        text PRIMARY KEY CHECK (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$'),
        name        text NOT NULL,
        kind        text NOT NULL CHECK (kind IN ('state', 'alliance', 'organisation', 'person')),
        aliases     text[] NOT NULL DEFAULT '{}',
        created_at  timestamptz NOT NULL DEFAULT now()
      )`);
    await db.query(`
      CREATE TABLE speakers (
        name        text NOT NULL,
        party       text NOT NULL REFERENCES parties (slug),
        role        text NOT NULL DEFAULT '',
        PRIMARY KEY (name, party)
      )`);
    await db.query(`
      CREATE TABLE topics (
        slug        text PRIMARY KEY CHECK (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$'),
        title       text NOT NULL,
        description text NOT NULL DEFAULT '',
        created_at  timestamptz NOT NULL DEFAULT now()
      )`);
    await db.query(`
      CREATE TABLE items (
        topic       text NOT NULL REFERENCES topics (slug),
        slug        text NOT NULL CHECK (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$'),
        title       text NOT NULL,
        description text NOT NULL DEFAULT '',
        PRIMARY KEY (topic, slug)
      )`);
    // Projection state per topic: the fold of every event so far, and where in topic order it ends.
    await db.query(`
      CREATE TABLE topic_states (
        topic       text PRIMARY KEY,
        version     integer NOT NULL,
        last_event  jsonb,
        state       jsonb NOT NULL
      )`);
    await db.query(`
      CREATE TABLE position_elements (
        topic       text NOT NULL,
        party       text NOT NULL,
        key         text NOT NULL,
        valid_from  date NOT NULL,
        valid_to    date,
        body        jsonb NOT NULL,
        PRIMARY KEY (topic, party, key, valid_from),
        CHECK (valid_to IS NULL OR valid_from < valid_to)
      )`);
    await db.query(
      `CREATE INDEX position_elements_party_validity ON position_elements USING gist (party, daterange(valid_from, valid_to))`,
    );
    await db.query(
      `CREATE INDEX position_elements_topic_validity ON position_elements USING gist (topic, daterange(valid_from, valid_to))`,
    );
    await db.query(`CREATE INDEX position_elements_open ON position_elements (topic) WHERE valid_to IS NULL`);
    // Reads of the log by meaning: answers to an event, a party's events, dates.
    await db.query(`CREATE INDEX events_refers_to ON events ((data->>'refersTo')) WHERE data ? 'refersTo'`);
    await db.query(`CREATE INDEX events_stream_occurred ON events (stream, occurred_to)`);
    await db.query(`CREATE INDEX events_actor ON events ((data->>'actor'))`);
    await db.query(`CREATE INDEX events_targets ON events USING gin ((data->'targets'))`);
  }

  async down(db: QueryRunner): Promise<void> {
    for (const index of ['events_refers_to', 'events_stream_occurred', 'events_actor', 'events_targets']) {
      await db.query(`DROP INDEX ${index}`);
    }
    await db.query('DROP TABLE position_elements, topic_states, items, topics, speakers, parties');
  }
}
