import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Threats in their targets' positions (2026-12-07). A threat made against a party is an element of
 * that party's position too: `threat-on:<event>` while it stands, `closed-on:<event>` once withdrawn
 * or moot, and its closure changes the target's last change affecting it; a threat's body names its
 * author (`by`). The projection held a threat in its author's position alone: it is emptied, to be
 * rebuilt from the log when the app next starts (PositionProjection, with its progress in the log);
 * the log is untouched, and fold checkpoints of the old format (TOPIC_FOLD_FORMAT 7 and before) are
 * no longer read.
 */
export class ThreatsInTheirTargetsPositions1763802720000 implements MigrationInterface {
  name = 'ThreatsInTheirTargetsPositions1763802720000';

  async up(db: QueryRunner): Promise<void> {
    await db.query('TRUNCATE position_elements, evidence_cards, topic_states');
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query('TRUNCATE position_elements, evidence_cards, topic_states');
  }
}
