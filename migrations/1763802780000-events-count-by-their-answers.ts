import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Events count by their answers (2026-12-08). An event counts from the earliest day it is proven to
 * have happened by: its own last possible day, or that of an answer to it (transitively), so a
 * rejection reported before the end of a proposal's dates no longer waits for that end, nor leaves
 * the proposal uncounted when the world knew of both. The projection held element versions from the
 * later days: it is emptied, to be rebuilt from the log when the app next starts (PositionProjection,
 * with its progress in the log); the log is untouched, and fold checkpoints of the old format
 * (TOPIC_FOLD_FORMAT 13 and before) are no longer read.
 */
export class EventsCountByTheirAnswers1763802780000 implements MigrationInterface {
  name = 'EventsCountByTheirAnswers1763802780000';

  async up(db: QueryRunner): Promise<void> {
    await db.query('TRUNCATE position_elements, evidence_cards, topic_states');
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query('TRUNCATE position_elements, evidence_cards, topic_states');
  }
}
