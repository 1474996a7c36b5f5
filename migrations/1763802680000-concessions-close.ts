import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Concessions close with what they are about (audit 2, finding 3). A concession about an item
 * whose proposer ended it (or the plan above it) is moot from that day, listed among its author's
 * closed records; one by item alone on its author's own open proposal backs down on it, as one
 * naming the proposal does. Stored positions listed such concessions as standing, and such
 * proposals as open. The projection is emptied, to be rebuilt from the log when the app next
 * starts (PositionProjection, with its progress in the log); the log is untouched, and fold
 * checkpoints of the old format (TOPIC_FOLD_FORMAT 7 and before) are no longer read.
 */
export class ConcessionsClose1763802680000 implements MigrationInterface {
  name = 'ConcessionsClose1763802680000';

  async up(db: QueryRunner): Promise<void> {
    await db.query('TRUNCATE position_elements, evidence_cards, topic_states');
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query('TRUNCATE position_elements, evidence_cards, topic_states');
  }
}
