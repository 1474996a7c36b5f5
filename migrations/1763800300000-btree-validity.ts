import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * "Elements of P valid on day X" through a btree on (party, end of validity, start) instead of
 * GiST on (party, daterange): the scan reads only the versions that end after X and filters
 * their start inside the index. Measured on 400,000 rows: 0.7 ms instead of 4 ms per lookup,
 * 0.5 s instead of 12-25 s to build, and much cheaper inserts (the import and every append).
 */
export class BtreeValidity1763800300000 implements MigrationInterface {
  name = 'BtreeValidity1763800300000';

  async up(db: QueryRunner): Promise<void> {
    await db.query('DROP INDEX position_elements_party_validity');
    await db.query('DROP INDEX position_elements_topic_validity');
    await db.query(
      `CREATE INDEX position_elements_party_day ON position_elements (party, (coalesce(valid_to, 'infinity'::date)), valid_from)`,
    );
    await db.query(
      `CREATE INDEX position_elements_topic_day ON position_elements (topic, (coalesce(valid_to, 'infinity'::date)), valid_from)`,
    );
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query('DROP INDEX position_elements_party_day');
    await db.query('DROP INDEX position_elements_topic_day');
    await db.query(
      'CREATE INDEX position_elements_party_validity ON position_elements USING gist (party, daterange(valid_from, valid_to))',
    );
    await db.query(
      'CREATE INDEX position_elements_topic_validity ON position_elements USING gist (topic, daterange(valid_from, valid_to))',
    );
  }
}
