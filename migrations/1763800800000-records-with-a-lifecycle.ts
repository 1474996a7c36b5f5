import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Positions with records that close (docs/architecture.md, "Records and their lifecycle"): closed
 * proposals, demands and threats stay in their authors' positions as `closed` elements, replaced
 * stances as `was` elements, and each party has its own last change and the last change
 * affecting it. Every stored element body changes, so the projection is emptied here and rebuilt
 * from the log when the app next starts (PositionProjection.onModuleInit logs its progress every
 * 100,000 events); `npm run rebuild` does the same by hand. The log itself is untouched.
 */
export class RecordsWithALifecycle1763800800000 implements MigrationInterface {
  name = 'RecordsWithALifecycle1763800800000';

  async up(db: QueryRunner): Promise<void> {
    await db.query('TRUNCATE position_elements, evidence_cards, topic_states');
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query('TRUNCATE position_elements, evidence_cards, topic_states');
  }
}
