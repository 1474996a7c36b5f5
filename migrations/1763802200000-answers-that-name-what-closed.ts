import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Answers that name what closed a record and what a withdrawal took back (2026-12-07): a signing
 * of a restated proposal signs the restatement in its place, a proposal accepted by a signing
 * the proposer co-signed is accepted by the other signer, and a withdrawal's decision says which
 * kind of record it took back (a reaction to the withdrawal of a threat read as one to the
 * withdrawal of the plan the threat was about), a restatement names what each record it
 * superseded said (`restates`: its terms or demand, beside its event), and a proposer backing
 * down on its last proposal of an item ends the item. The projection stores what the fold makes of
 * them, so it is emptied, to be rebuilt from the log when the app next starts
 * (PositionProjection, with its progress in the log); the log is untouched, and fold checkpoints
 * of the old format (TOPIC_FOLD_FORMAT 1) are no longer read.
 */
export class AnswersThatNameWhatClosed1763802200000 implements MigrationInterface {
  name = 'AnswersThatNameWhatClosed1763802200000';

  async up(db: QueryRunner): Promise<void> {
    await db.query('TRUNCATE position_elements, evidence_cards, topic_states');
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query('TRUNCATE position_elements, evidence_cards, topic_states');
  }
}
