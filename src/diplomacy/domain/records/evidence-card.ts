import type { DiplomaticEvent } from '../events/events.js';
import type { Evidence } from './topic-state.js';

/**
 * An event's evidence card (what a position cites: the event, its dates, speaker, quote and
 * source), described once. Two renderers are made from this description, so they cannot drift:
 * `renderCard` here, in TypeScript (folds as known at a date, replays, corrected records), and
 * the SQL function `evidence_card`, which the projection generates from it
 * (`projection/evidence-card-function.ts`) so that PostgreSQL renders the cards of stored events
 * itself during appends, imports and rebuilds without shipping each event's quote and summary
 * back and forth (migration 1763800700000: a rebuild reads half the bytes).
 *
 * Changing the description changes both: a migration must then re-create the SQL function
 * (`evidenceCardFunction()`) and empty the projection; a test compares the function in the
 * database with the one described here, and the cards both render on the seed corpus.
 */
type Path = readonly string[];

export type CardField =
  /** A value of the event at a path; `optional`: left out when absent; `nonEmpty`: left out when "" too. */
  | { readonly name: string; readonly from: Path; readonly optional?: boolean; readonly nonEmpty?: boolean }
  /** A nested object, built when `when` (a path) is present in the event, or always. */
  | { readonly name: string; readonly fields: readonly CardField[]; readonly when?: Path };

/** The card, field by field, in the order the keys appear (JSON text is compared as is). */
export const EVIDENCE_CARD: readonly CardField[] = [
  { name: 'eventId', from: ['id'] },
  { name: 'type', from: ['type'] },
  { name: 'actor', from: ['actor'] },
  {
    name: 'occurred',
    fields: [
      { name: 'from', from: ['occurred', 'from'] },
      { name: 'to', from: ['occurred', 'to'] },
      { name: 'precision', from: ['occurred', 'precision'] },
      // Why these days (the source's words, or the public record): beside the date it explains.
      { name: 'basis', from: ['occurred', 'basis'], optional: true },
    ],
  },
  { name: 'reportedAt', from: ['reportedAt'] },
  {
    name: 'speaker',
    when: ['speaker'],
    fields: [
      { name: 'name', from: ['speaker', 'name'] },
      { name: 'role', from: ['speaker', 'role'], optional: true },
    ],
  },
  { name: 'quote', from: ['quote'], optional: true, nonEmpty: true },
  { name: 'summary', from: ['summary'] },
  {
    name: 'source',
    fields: [
      { name: 'publisher', from: ['source', 'publisher'] },
      { name: 'title', from: ['source', 'title'] },
      { name: 'author', from: ['source', 'author'], optional: true },
      { name: 'url', from: ['source', 'url'], optional: true },
      { name: 'publishedAt', from: ['source', 'publishedAt'] },
    ],
  },
];

const at = (value: unknown, path: Path): unknown =>
  path.reduce<unknown>(
    (v, key) => (v && typeof v === 'object' ? (v as Record<string, unknown>)[key] : undefined),
    value,
  );

function render(fields: readonly CardField[], event: unknown): Record<string, unknown> {
  const card: Record<string, unknown> = {};
  for (const field of fields) {
    if ('fields' in field) {
      if (!field.when || at(event, field.when) !== undefined) card[field.name] = render(field.fields, event);
      continue;
    }
    const value = at(event, field.from);
    if (field.optional && (value === undefined || (field.nonEmpty && value === ''))) continue;
    card[field.name] = value;
  }
  return card;
}

/** The card of an event (with the correction that changed it, if one did), built afresh in one key order. */
export function renderCard(event: DiplomaticEvent, correctedBy?: string): Evidence {
  return { ...(render(EVIDENCE_CARD, event) as unknown as Evidence), ...(correctedBy ? { correctedBy } : {}) };
}
