/**
 * The SQL side of the evidence card: the function `evidence_card` that PostgreSQL renders the
 * cards of stored events with, generated from the card's one description in the domain
 * (EVIDENCE_CARD, domain/records/evidence-card.ts, beside its TypeScript renderer).
 */
import { type CardField, EVIDENCE_CARD } from '../domain/records/evidence-card.js';

/** The SQL expression of a field: the stored row keeps `id` and `type` as columns, the rest in `data`. */
function sqlOf(field: CardField): string {
  if ('fields' in field) {
    const object = `json_build_object(${field.fields.map((f) => `'${f.name}', ${sqlOf(f)}`).join(', ')})`;
    return field.when ? `CASE WHEN data ? '${field.when[0]}' THEN ${object} END` : object;
  }
  const [head, ...rest] = field.from;
  const value = head === 'id' || head === 'type' ? head : `data${[head, ...rest].map((key) => `->'${key}'`).join('')}`;
  return field.nonEmpty ? `nullif(${value}, '""')` : value;
}

/**
 * The SQL function rendering the card of a stored event, generated from EVIDENCE_CARD.
 * json, not jsonb: json keeps the keys in the order given, the order renderCard writes them;
 * json_strip_nulls leaves out the optional fields an event does not have (events hold no nulls).
 */
export function evidenceCardFunction(card: readonly CardField[] = EVIDENCE_CARD): string {
  return (
    'CREATE OR REPLACE FUNCTION evidence_card(id uuid, type text, data jsonb) RETURNS text ' +
    'LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$ ' +
    `SELECT json_strip_nulls(json_build_object(${card.map((f) => `'${f.name}', ${sqlOf(f)}`).join(', ')}))::text $$`
  );
}
