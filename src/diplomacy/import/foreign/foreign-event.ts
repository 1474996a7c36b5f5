import { v5 as uuidv5 } from 'uuid';
import { isUuid } from '../../../shared/ids.js';
import type { EventType } from '../../domain/events/events.js';
import type { RecordEventBody } from '../../record-event/record-event.body.js';

/**
 * A row of a foreign dataset (PLOVER, POLECAT, ACLED) read into what Stance needs to decide an
 * event from it; each format's reader fills it (plover.import.ts, polecat.import.ts, acled.import.ts),
 * and toStanceBody alone maps it to a Stance event type.
 */
export interface ForeignEvent {
  /** The row's own id: kept if a UUID, else a stable UUID is made of it (a re-import finds the event again). */
  readonly id?: string;
  /** The first and last day, or an EDTF string where the row gives one (Stance's own exports). */
  readonly date: string;
  readonly enddate?: string;
  readonly edtf?: string;
  /** The reasoning behind the date, where the row carries Stance's (`occurred.basis`). */
  readonly basis?: string;
  readonly actor: string;
  readonly recipients: readonly string[];
  /** The PLOVER category (POLECAT's Event Type, ACLED's mapped one). */
  readonly category?: string;
  readonly mode?: string;
  readonly cameo?: string;
  readonly summary?: string;
  readonly quote?: string;
  readonly source: {
    readonly publisher: string;
    readonly title: string;
    readonly url?: string;
    readonly publishedAt?: string;
  };
  readonly reportedAt?: string;
  /** Topics the row names (a context, Stance's own topic column); the first the catalog knows is taken. */
  readonly topics: readonly string[];
  /** Stance's own fields, where the row is from a Stance export: kept as given. */
  readonly stance?: {
    readonly type?: string;
    readonly item?: string;
    readonly payload?: Readonly<Record<string, unknown>>;
    readonly speaker?: { readonly name: string; readonly role?: string };
    readonly key?: string;
    readonly refersTo?: string;
  };
}

export interface ForeignContext {
  /** The format, part of the ids made from a row's own id. */
  readonly format: string;
  readonly party: (name: string) => string | undefined;
  readonly topicKnown: (slug: string) => boolean;
  /** The topic of rows that name none the catalog knows (`--topic`). */
  readonly topic?: string;
}

/** Ids made of foreign ids: UUID v5 of "<format>:<id>" in this namespace. */
const FOREIGN_NAMESPACE = '8c0b7d52-1f3e-4a6b-9d2c-5e7f0a1b3c4d';

/** A Stance event type from a PLOVER category where the meaning is the same, with the payload it needs. */
type Mapping =
  | {
      readonly type: EventType;
      readonly cameo?: string;
      readonly payload: (text: string, item?: string) => Record<string, unknown>;
    }
  | { readonly refused: string };

/**
 * PLOVER categories as Stance types, where the mapping is sound; the others with the reason they
 * are not. A withdrawal or rejection must name the record it answers, which no foreign row can;
 * AGREE is taken as an accord in words (CAMEO 019), never a signed treaty; SUPPORT and ACCUSE
 * are stances (statements coded 051 and 111).
 */
const BY_CATEGORY: Readonly<Record<string, Mapping>> = {
  AGREE: { type: 'agreement', cameo: '019', payload: (text, item) => ({ terms: text, ...(item ? { item } : {}) }) },
  REQUEST: { type: 'demand', payload: (text, item) => ({ demand: text, ...(item ? { item } : {}) }) },
  THREATEN: { type: 'threat', payload: (text, item) => ({ counterMeasure: text, ...(item ? { item } : {}) }) },
  CONCEDE: { type: 'concession', payload: (text, item) => ({ terms: text, ...(item ? { item } : {}) }) },
  SUPPORT: {
    type: 'statement',
    cameo: '051',
    payload: (text, item) => ({ stance: 'supports', reason: text, ...(item ? { item } : {}) }),
  },
  ACCUSE: {
    type: 'statement',
    cameo: '111',
    payload: (text, item) => ({ stance: 'opposes', reason: text, ...(item ? { item } : {}) }),
  },
  SANCTION: { type: 'action', cameo: '160', payload: (text, item) => ({ act: text, ...(item ? { item } : {}) }) },
  REJECT: { refused: 'a rejection must name the proposal or demand it rejects (refersTo), which the row cannot' },
  RETREAT: {
    refused: 'a withdrawal must name the proposal, demand or threat it takes back (refersTo), which the row cannot',
  },
  CONSULT: { refused: 'a consultation is no position; a proposal to meet needs the item it puts on the table' },
};
/** A freeze demand is a request that the target yield (PLOVER mode "yield"), as the export writes it. */
const FREEZE: Mapping = {
  type: 'freeze_demand',
  payload: (text, item) => ({ action: text, ...(item ? { item } : {}) }),
};

export type Mapped = { readonly body: RecordEventBody } | { readonly message: string };

export function toStanceBody(row: ForeignEvent, context: ForeignContext): Mapped {
  const topic = row.topics.find(context.topicKnown) ?? context.topic;
  if (!topic) return { message: 'names no topic the catalog knows: give one with --topic' };
  const actor = context.party(row.actor);
  if (!actor) return { message: `actor "${row.actor}" matches no party by slug, name or alias` };
  const targets: string[] = [];
  for (const name of row.recipients) {
    const target = context.party(name);
    if (!target) return { message: `recipient "${name}" matches no party by slug, name or alias` };
    if (target !== actor && !targets.includes(target)) targets.push(target);
  }
  const text = row.summary ?? row.quote;
  if (!text) return { message: 'has no text to say what happened (a summary or quote)' };
  const kept =
    row.stance?.type && row.stance.payload
      ? { type: row.stance.type as EventType, payload: row.stance.payload }
      : undefined;
  let type: EventType;
  let payload: Readonly<Record<string, unknown>>;
  let cameo = row.cameo;
  if (kept) ({ type, payload } = kept);
  else {
    const category = row.category?.trim().toUpperCase();
    if (!category) return { message: 'has no event category' };
    const mapping = category === 'REQUEST' && row.mode === 'yield' ? FREEZE : BY_CATEGORY[category];
    if (!mapping) return { message: `${category} is not a diplomatic position Stance records` };
    if ('refused' in mapping) return { message: `${category} is not imported: ${mapping.refused}` };
    type = mapping.type;
    payload = mapping.payload(text, row.stance?.item || undefined);
    cameo = cameo || mapping.cameo;
  }
  const date = row.edtf || (row.enddate && row.enddate !== row.date ? `${row.date}/${row.enddate}` : row.date);
  const occurred = row.basis ? { date, basis: row.basis } : date;
  // Reported no earlier than it ended: a row without a report time is taken as reported that day.
  const publishedAt = row.source.publishedAt || row.reportedAt || row.enddate || row.date;
  const body: RecordEventBody = {
    ...(row.id ? { id: isUuid(row.id) ? row.id : uuidv5(`${context.format}:${row.id}`, FOREIGN_NAMESPACE) } : {}),
    topic,
    type,
    actor,
    targets,
    ...(row.stance?.speaker ? { speaker: row.stance.speaker } : {}),
    occurred,
    ...(row.reportedAt ? { reportedAt: row.reportedAt } : {}),
    source: { ...row.source, publishedAt },
    ...(row.quote ? { quote: row.quote } : {}),
    summary: text,
    ...(row.stance?.key ? { key: row.stance.key } : {}),
    ...(row.stance?.refersTo ? { refersTo: row.stance.refersTo } : {}),
    ...(cameo ? { cameo } : {}),
    payload,
  };
  return { body };
}
