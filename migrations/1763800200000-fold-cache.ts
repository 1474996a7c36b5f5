import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * topic_states no longer keeps each topic's whole folded state as JSONB: writers keep the fold
 * in memory (TopicStates), checked against `version`, and refold from the log when it is not
 * there. Reading and rewriting that state on every append was most of an append's cost.
 * position_elements now also holds the possibly-in-effect and retracted side lists, so the
 * projection is emptied here and rebuilt from the log when the app next starts.
 */
export class FoldCache1763800200000 implements MigrationInterface {
  name = 'FoldCache1763800200000';

  async up(db: QueryRunner): Promise<void> {
    await db.query('ALTER TABLE topic_states DROP COLUMN state');
    await db.query('TRUNCATE position_elements, topic_states');
  }

  async down(db: QueryRunner): Promise<void> {
    // The fold is rebuilt by `npm run rebuild`; an empty object keeps the old column's NOT NULL.
    await db.query(`ALTER TABLE topic_states ADD COLUMN state jsonb NOT NULL DEFAULT '{}'`);
  }
}
