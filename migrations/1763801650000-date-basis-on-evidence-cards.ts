import type { MigrationInterface, QueryRunner } from 'typeorm';
import { type CardField, EVIDENCE_CARD } from '../src/diplomacy/domain/records/evidence-card.js';
import { evidenceCardFunction } from '../src/diplomacy/projection/evidence-card-function.js';

/** The card before this migration: its date without the basis. */
const withoutDateBasis = (card: readonly CardField[]): CardField[] =>
  card.map((field) =>
    'fields' in field && field.name === 'occurred'
      ? { ...field, fields: field.fields.filter((f) => f.name !== 'basis') }
      : field,
  );

/**
 * An event's `occurred` may carry its basis (the reasoning behind the date: the source's words or
 * the public record), and the evidence card shows it beside the date. The SQL function that
 * renders stored cards is generated again from the card's description, and the projection is
 * emptied, to be rebuilt from the log when the app next starts (its cards are rendered anew);
 * the log is untouched. Cards of events without a basis are the same as before.
 */
export class DateBasisOnEvidenceCards1763801650000 implements MigrationInterface {
  name = 'DateBasisOnEvidenceCards1763801650000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(evidenceCardFunction(EVIDENCE_CARD));
    await db.query('TRUNCATE position_elements, evidence_cards, topic_states');
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(evidenceCardFunction(withoutDateBasis(EVIDENCE_CARD)));
    await db.query('TRUNCATE position_elements, evidence_cards, topic_states');
  }
}
