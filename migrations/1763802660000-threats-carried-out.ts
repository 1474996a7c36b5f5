import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Threats carried out (2026-12-07). An action may name its actor's threat in `refersTo`: the threat
 * closes as `carried-out` by it, and the action's act links to it (`carriesOut`); an action that
 * names a threat counts no earlier than the threat. No stored event named anything so (decide
 * refused it), but the fold's state and its elements have a new shape: the projection is emptied,
 * to be rebuilt from the log when the app next starts (PositionProjection, with its progress in the
 * log); the log is untouched, and fold checkpoints of the old format (TOPIC_FOLD_FORMAT 7 and
 * before) are no longer read.
 */
export class ThreatsCarriedOut1763802660000 implements MigrationInterface {
  name = 'ThreatsCarriedOut1763802660000';

  async up(db: QueryRunner): Promise<void> {
    await db.query('TRUNCATE position_elements, evidence_cards, topic_states');
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query('TRUNCATE position_elements, evidence_cards, topic_states');
  }
}
