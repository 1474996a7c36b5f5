import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Concessions about what they answer (2026-12-08). A concession that names a demand and no item of
 * its own is about the demand's item: its record, its element in its author's `concessions` and,
 * once moot, its entry under `closed` name that item, as a back-down names its proposal's. The
 * projection held such a concession about no item: it is emptied, to be rebuilt from the log when
 * the app next starts (PositionProjection, with its progress in the log); the log is untouched, and
 * fold checkpoints of the old format (TOPIC_FOLD_FORMAT 11 and before) are no longer read.
 */
export class ConcessionsAboutWhatTheyAnswer1763802740000 implements MigrationInterface {
  name = 'ConcessionsAboutWhatTheyAnswer1763802740000';

  async up(db: QueryRunner): Promise<void> {
    await db.query('TRUNCATE position_elements, evidence_cards, topic_states');
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query('TRUNCATE position_elements, evidence_cards, topic_states');
  }
}
