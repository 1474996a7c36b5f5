import type { MigrationInterface, QueryRunner } from 'typeorm';
import { evidenceCardFunction } from '../src/diplomacy/projection/evidence-card-function.js';

/**
 * The evidence card is described once (src/diplomacy/domain/records/evidence-card.ts) and the SQL
 * function evidence_card is generated from that description, instead of being written by hand
 * beside the TypeScript renderer. The card itself does not change (same fields, same key order),
 * so the projection stays as it is.
 *
 * This migration runs the generator as it is today. A later change to the card description needs
 * its own migration calling evidenceCardFunction() again (and emptying the projection): the
 * corpus e2e test compares the function in the database with the generated one and fails until then.
 */
export class EvidenceCardDescribedOnce1763801000000 implements MigrationInterface {
  name = 'EvidenceCardDescribedOnce1763801000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(evidenceCardFunction());
  }

  async down(): Promise<void> {
    // The function it replaced rendered the same card: nothing to undo.
  }
}
