import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Links between records name what they point to (DESIGN section 4, "Evidence"): a response's
 * `to`, a concession's `meets` and `backsDownOn`, an agreement's `accepts` hold the event, its
 * author, its item and its terms instead of a bare id. Stored element bodies and cached folds
 * change, so the projection is emptied here and rebuilt from the log when the app next starts
 * (PositionProjection.onModuleInit, progress every 100,000 events); the log is untouched.
 */
export class LinksThatNameTheirRecords1763800900000 implements MigrationInterface {
  name = 'LinksThatNameTheirRecords1763800900000';

  async up(db: QueryRunner): Promise<void> {
    await db.query('TRUNCATE position_elements, evidence_cards, topic_states');
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query('TRUNCATE position_elements, evidence_cards, topic_states');
  }
}
