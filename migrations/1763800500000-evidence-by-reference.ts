import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Element bodies in position_elements name their evidence by event id (EvidenceRef) instead of
 * embedding it: readers look the events up once per answer. The stored rows are in the old
 * form, so the projection is emptied here and rebuilt from the log when the app next starts.
 */
export class EvidenceByReference1763800500000 implements MigrationInterface {
  name = 'EvidenceByReference1763800500000';

  async up(db: QueryRunner): Promise<void> {
    await db.query('TRUNCATE position_elements, topic_states');
  }

  async down(db: QueryRunner): Promise<void> {
    // The older code reads embedded evidence: empty again, for it to rebuild.
    await db.query('TRUNCATE position_elements, topic_states');
  }
}
