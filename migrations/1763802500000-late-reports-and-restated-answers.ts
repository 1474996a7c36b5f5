import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Late reports (2026-12-07, third audit). A concession on a restated demand or proposal meets or
 * closes the restatement in its place, as a withdrawal, rejection or signing of it does; a record
 * the log let go of keeps its author's withdrawals after its closure (decide refuses a second
 * one); and a full rebuild keeps whether an agreement was signed (its fold had read events without
 * their coding, so a rebuilt projection said "accepted" where the writers had said "signed"). The
 * projection is emptied, to be rebuilt from the log when the app next starts (PositionProjection,
 * with its progress in the log); the log is untouched, and fold checkpoints of the old format
 * (TOPIC_FOLD_FORMAT 3) are no longer read.
 */
export class LateReportsAndRestatedAnswers1763802500000 implements MigrationInterface {
  name = 'LateReportsAndRestatedAnswers1763802500000';

  async up(db: QueryRunner): Promise<void> {
    await db.query('TRUNCATE position_elements, evidence_cards, topic_states');
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query('TRUNCATE position_elements, evidence_cards, topic_states');
  }
}
