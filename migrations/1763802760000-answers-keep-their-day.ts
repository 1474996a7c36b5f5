import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Answers keep their day (2026-12-08). An answer to a record, an act, a concession and a reaction
 * keep the day they count from (`countsFrom`, placeOf: no earlier than what they answer), so
 * `/changes` and the summary date and order them by it rather than by their own earlier date (an open
 * proposal's body carries its `countsFrom` too). The
 * projection's elements had no such day: it is emptied, to be rebuilt from the log when the app next
 * starts (PositionProjection, with its progress in the log); the log is untouched, and fold
 * checkpoints of the old format (TOPIC_FOLD_FORMAT 12 and before) are no longer read.
 */
export class AnswersKeepTheirDay1763802760000 implements MigrationInterface {
  name = 'AnswersKeepTheirDay1763802760000';

  async up(db: QueryRunner): Promise<void> {
    await db.query('TRUNCATE position_elements, evidence_cards, topic_states');
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query('TRUNCATE position_elements, evidence_cards, topic_states');
  }
}
