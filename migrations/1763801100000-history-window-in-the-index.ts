import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Each element version keeps `hidden_from`: the first day it is out of the default history window
 * (a closed record or a replaced stance, 12 months after; 'infinity' for the rest, computed by
 * historyEnd in the domain). It is a column of the party index, so a position read leaves old
 * history out inside the index instead of fetching it from the heap and dropping it: at 1,000,000
 * events history was 60% of a party's rows at a date. The projection is emptied and rebuilt from
 * the log when the app next starts (PositionProjection.onModuleInit logs its progress).
 */
export class HistoryWindowInTheIndex1763801100000 implements MigrationInterface {
  name = 'HistoryWindowInTheIndex1763801100000';

  async up(db: QueryRunner): Promise<void> {
    await db.query('TRUNCATE position_elements, evidence_cards, topic_states');
    await db.query(`ALTER TABLE position_elements ADD COLUMN hidden_from date NOT NULL DEFAULT 'infinity'`);
    await db.query('DROP INDEX IF EXISTS position_elements_by_party');
    // The same definition as REBUILD_INDEX (position.projection.ts), which a full rebuild creates again.
    await db.query(
      'CREATE INDEX position_elements_by_party ON position_elements (party, topic, valid_to, valid_from, hidden_from, key)',
    );
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query('TRUNCATE position_elements, evidence_cards, topic_states');
    await db.query('DROP INDEX IF EXISTS position_elements_by_party');
    await db.query('ALTER TABLE position_elements DROP COLUMN hidden_from');
    await db.query(
      'CREATE INDEX position_elements_by_party ON position_elements (party, topic, valid_to, valid_from, key)',
    );
  }
}
