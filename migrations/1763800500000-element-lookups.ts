import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Indexes for the lookups a write makes, which read every past version of an element before:
 * - an element's open version, by (topic, party, key): the last-change element of a party had
 *   ~150 versions per topic at 1,000,000 events, each read from the heap to find the open one;
 * - a party's elements in one topic on a day (the positions in the answer to POST /events):
 *   (topic, party, end, start) answers it from the index, and still serves the whole topic.
 */
export class ElementLookups1763800500000 implements MigrationInterface {
  name = 'ElementLookups1763800500000';

  async up(db: QueryRunner): Promise<void> {
    await db.query('DROP INDEX position_elements_open');
    await db.query(
      'CREATE INDEX position_elements_open ON position_elements (topic, party, key) WHERE valid_to IS NULL',
    );
    await db.query('DROP INDEX position_elements_topic_day');
    await db.query(
      `CREATE INDEX position_elements_topic_day ON position_elements (topic, party, (coalesce(valid_to, 'infinity'::date)), valid_from)`,
    );
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query('DROP INDEX position_elements_open');
    await db.query('CREATE INDEX position_elements_open ON position_elements (topic) WHERE valid_to IS NULL');
    await db.query('DROP INDEX position_elements_topic_day');
    await db.query(
      `CREATE INDEX position_elements_topic_day ON position_elements (topic, (coalesce(valid_to, 'infinity'::date)), valid_from)`,
    );
  }
}
