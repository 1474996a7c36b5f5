import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Summaries true to what the sources say (2026-12-07, second audit): an agreement's act says
 * whether it was signed (CAMEO 057) or agreed in words (019), so that a summary says "signed"
 * only of a signing; a proposer co-signing its own plan keeps its stance on it; a plan's end takes
 * back its proposer's own offers on its sub-items (their stance reads withdrawn, not proposer); a
 * signer may withdraw from an agreement (its act names who left); a restatement names the whole
 * chain it restates. The
 * projection stores what the fold makes of them, so it is emptied, to be rebuilt from the log
 * when the app next starts (PositionProjection, with its progress in the log); the log is
 * untouched, and fold checkpoints of the old format (TOPIC_FOLD_FORMAT 2) are no longer read.
 */
export class SigningsSaidAsSigned1763802300000 implements MigrationInterface {
  name = 'SigningsSaidAsSigned1763802300000';

  async up(db: QueryRunner): Promise<void> {
    await db.query('TRUNCATE position_elements, evidence_cards, topic_states');
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query('TRUNCATE position_elements, evidence_cards, topic_states');
  }
}
