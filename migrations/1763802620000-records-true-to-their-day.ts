import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Records true to their day (2026-12-07, audit of the records' lifecycle). A demand, threat or
 * sub-item's proposal made about an item that had already ended is moot from its own day; a
 * signing of a proposal already accepted is recorded on it as the signer's answer; a stance, the
 * stance it replaces and a closure date from the day their event counts (an answer to a record
 * dated by its month counts from the month's end), not from the answer's own earlier day. The
 * projection is emptied, to be rebuilt from the log when the app next starts (PositionProjection,
 * with its progress in the log); the log is untouched, and fold checkpoints of the old format
 * (TOPIC_FOLD_FORMAT 5 and before) are no longer read.
 */
export class RecordsTrueToTheirDay1763802620000 implements MigrationInterface {
  name = 'RecordsTrueToTheirDay1763802620000';

  async up(db: QueryRunner): Promise<void> {
    await db.query('TRUNCATE position_elements, evidence_cards, topic_states');
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query('TRUNCATE position_elements, evidence_cards, topic_states');
  }
}
