import { type Evidence, type EvidenceRef, evidenceRef, type ReportCard } from '../records/topic-state.js';
import type { SpeakerDirectory } from '../../../shared/speakers.js';
import { lastPossibleDay } from '../time/order.js';

/**
 * Answers name each event's evidence card once (DESIGN section 4, "Evidence"): every element
 * that cites an event holds its reference, and the answer carries one `evidence` map from
 * reference to card. Cited inline, a card was repeated for every element citing it: 70% of the
 * bytes of a position answer at 1,000,000 events.
 *
 * A reference is the event id, followed by `+<correction id>` when a correction changed what the
 * card shows (EvidenceRef).
 */
export type EvidenceMap = Record<EvidenceRef, Evidence>;

/** A value whose evidence cards are references into an answer's EvidenceMap. */
export type WithRefs<T> = T extends Evidence
  ? EvidenceRef
  : T extends readonly (infer U)[]
    ? readonly WithRefs<U>[]
    : T extends object
      ? { readonly [K in keyof T]: WithRefs<T[K]> }
      : T;

/**
 * The fields that hold an evidence card (or a list of them) anywhere in a position, a change or
 * a replay step. One list, read by both directions below, so they cannot disagree.
 */
const CARD_FIELDS: ReadonlySet<string> = new Set([
  'evidence',
  'retraction',
  'answers',
  'lastChange',
  'lastChangeAffecting',
  'possiblyInEffect',
]);

const refOf = (card: Evidence) => evidenceRef(card.eventId, card.correctedBy);

/**
 * A card as answers show it: a speaker given without a role gets the role the catalog says they
 * held on the day the event counts from (lastPossibleDay, as everywhere in the timeline: the last
 * day of `occurred`, or the day of its report if that came first: a statement dated "July 2022"
 * and reported on 10 July was made by 10 July, by whoever held the role then, not on 31 July by
 * a successor); a role the event gives is what its source said, and stays. Done here, where every
 * answer's cards pass once, rather than in the stored card: the events and their stored cards
 * keep what the sources gave (so the SQL and TypeScript renderers of evidence-card.ts still
 * render the event alone, and agree), and the catalog's roles may be completed or corrected
 * without rebuilding the projection. The catalog owns the roles and the match
 * (SpeakerDirectory), this the rule of which one a card shows.
 */
function shownCard(card: Evidence, speakers: Pick<SpeakerDirectory, 'roleOf'>): Evidence {
  if (!card.speaker || card.speaker.role) return card;
  const role = speakers.roleOf(card.speaker.name, card.actor, lastPossibleDay(card));
  return role ? { ...card, speaker: { ...card.speaker, role } } : card;
}

function toRefs(
  value: unknown,
  map: Map<EvidenceRef, Evidence>,
  speakers: Pick<SpeakerDirectory, 'roleOf'>,
  inCardField = false,
): unknown {
  if (Array.isArray(value)) return value.map((v) => toRefs(v, map, speakers, inCardField));
  if (typeof value !== 'object' || value === null) return value;
  if (inCardField) {
    const card = value as Evidence;
    const ref = refOf(card);
    if (!map.has(ref)) map.set(ref, shownCard(card, speakers));
    return ref;
  }
  const copy: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(value)) copy[key] = toRefs(field, map, speakers, CARD_FIELDS.has(key));
  return copy;
}

/**
 * A value with its evidence cards moved into one map, each card once, in the order first cited,
 * each showing its speaker's role on the event's day (shownCard).
 */
export function withEvidenceMap<T>(
  value: T,
  speakers: Pick<SpeakerDirectory, 'roleOf'>,
): { readonly value: WithRefs<T>; readonly evidence: EvidenceMap } {
  const map = new Map<EvidenceRef, Evidence>();
  const out = toRefs(value, map, speakers) as WithRefs<T>;
  return { value: out, evidence: Object.fromEntries(map) };
}

/**
 * The cards of a map with the other sources that reported their events (by event id): each such
 * card lists them and counts its publishers. Cards without reports are left as they are.
 */
export function withReports(evidence: EvidenceMap, reports: ReadonlyMap<string, readonly ReportCard[]>): EvidenceMap {
  if (reports.size === 0) return evidence;
  const out: Record<EvidenceRef, Evidence> = {};
  for (const [ref, card] of Object.entries(evidence)) {
    const more = reports.get(card.eventId);
    out[ref] = more?.length
      ? {
          ...card,
          reports: more,
          corroboration: new Set([card.source.publisher, ...more.map((r) => r.source.publisher)]).size,
        }
      : card;
  }
  return out;
}

function toCards(value: unknown, evidence: EvidenceMap, inCardField = false): unknown {
  if (Array.isArray(value)) return value.map((v) => toCards(v, evidence, inCardField));
  if (inCardField && typeof value === 'string') {
    const card = evidence[value];
    if (!card) throw new Error(`the answer cites evidence ${value} that its evidence map does not hold`);
    return card;
  }
  if (typeof value !== 'object' || value === null) return value;
  const copy: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(value)) copy[key] = toCards(field, evidence, CARD_FIELDS.has(key));
  return copy;
}

/** The inverse, for a client that wants the cards in place (the page): references replaced by their cards. */
export function inlineEvidence<T>(value: WithRefs<T>, evidence: EvidenceMap): T {
  return toCards(value, evidence) as T;
}
