import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Agreements keyed apart from actions (2026-12-07). An agreement's element is keyed
 * `agreement:<event>`, no longer `act:<event>`, so the compact view selects the agreements it must
 * read at any date in the index instead of matching text inside every act's body (at 200,000
 * events that match made the compact view about 13% slower). The projection is emptied, to be
 * rebuilt from the log when the app next starts (PositionProjection, with its progress in the
 * log); the log is untouched, and fold checkpoints of the old format (TOPIC_FOLD_FORMAT 6 and
 * before) are no longer read.
 */
export class AgreementsKeyedApart1763802640000 implements MigrationInterface {
  name = 'AgreementsKeyedApart1763802640000';

  async up(db: QueryRunner): Promise<void> {
    await db.query('TRUNCATE position_elements, evidence_cards, topic_states');
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query('TRUNCATE position_elements, evidence_cards, topic_states');
  }
}
