import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Events count by their report (2026-12-07). An event counts from the last day it can have
 * happened on: the end of its `occurred` interval, or the day it was reported if that came first
 * (a statement dated "July 2022" and reported on 10 July counted from 31 July, and was only
 * possibly in effect for three weeks after the world knew it). Stances, closures and the days
 * rows held move, so the projection is emptied, to be rebuilt from the log when the app next
 * starts (PositionProjection, with its progress in the log); the log is untouched, and fold
 * checkpoints of the old format (TOPIC_FOLD_FORMAT 7 and before) are no longer read.
 */
export class EventsCountByTheirReport1763802700000 implements MigrationInterface {
  name = 'EventsCountByTheirReport1763802700000';

  async up(db: QueryRunner): Promise<void> {
    await db.query('TRUNCATE position_elements, evidence_cards, topic_states');
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query('TRUNCATE position_elements, evidence_cards, topic_states');
  }
}
