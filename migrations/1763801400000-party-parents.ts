import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A party may belong to another: the US Congress within the United States, so that a domestic
 * constraint (a legislature holding back funds) is recorded as the act of that body. A parent
 * must exist first and parties are never edited, so the tree has no cycle.
 */
export class PartyParents1763801400000 implements MigrationInterface {
  name = 'PartyParents1763801400000';

  async up(db: QueryRunner): Promise<void> {
    await db.query('ALTER TABLE parties ADD COLUMN parent text REFERENCES parties (slug)');
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query('ALTER TABLE parties DROP COLUMN parent');
  }
}
