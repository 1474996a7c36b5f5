import { quadClassOf } from '../domain/events/cameo.js';
import { itemOf, type Source } from '../domain/events/events.js';
import { citation, edtf, type ExportedEvent, joined, type PartyNames } from './exported-event.js';

/** The PLOVER fields, in the order the codebook lists them; Stance's own fields follow under `stance`. */
export const PLOVER_FIELDS = [
  'id',
  'date',
  'enddate',
  'actor',
  'recipient',
  'event',
  'mode',
  'context',
  'quad_code',
  'event_text',
  'link',
  'text',
  'cite_info',
] as const;

/** The PLOVER mode of an event, where the type says more than the category: a freeze demand asks the target to yield. */
const MODE_OF_TYPE: Readonly<Partial<Record<string, string>>> = { freeze_demand: 'yield' };

export interface PloverRow extends Readonly<Record<(typeof PLOVER_FIELDS)[number], string | number | null>> {
  /** Stance's fields, so nothing of the record is lost: slugs, EDTF date, report time, CAMEO coding, payload. */
  readonly stance: {
    readonly topic: string;
    readonly type: string;
    readonly actor: string;
    readonly targets: readonly string[];
    readonly item: string | null;
    readonly occurred: string;
    /** Why the date is what it is (`occurred.basis`), or null. */
    readonly occurredBasis: string | null;
    readonly reportedAt: string;
    /** The source whole (publisher, title, author, url, publishedAt): cite_info is one text of it, which an import cannot split back. */
    readonly source: Source;
    readonly speaker: { readonly name: string; readonly role?: string } | null;
    readonly key: string | null;
    readonly refersTo: string | null;
    readonly cameo: { readonly code: string; readonly name: string; readonly goldstein: number } | null;
    readonly payload: object;
    readonly correctedBy: string | null;
    readonly position: number;
  };
}

/**
 * An event as a PLOVER record: dates are the first and last day of `occurred` (the EDTF form is
 * in `stance.occurred`); actor and recipient are party names; `event` is the PLOVER category of
 * the CAMEO table (null where the table has none, a bare statement of stance); `quad_code` is the
 * CAMEO quad class (1-4, GDELT's numbering); `event_text` the neutral summary, `text` the quote.
 */
export function ploverRow({ event, correctedBy }: ExportedEvent, names: PartyNames): PloverRow {
  return {
    id: event.id,
    date: event.occurred.from,
    enddate: event.occurred.to,
    actor: names(event.actor),
    recipient: joined(event.targets.map(names)),
    event: event.cameo?.plover ?? null,
    mode: MODE_OF_TYPE[event.type] ?? null,
    context: event.topic,
    quad_code: event.cameo ? quadClassOf(event.cameo.code).code : null,
    event_text: event.summary,
    link: event.source.url ?? null,
    text: event.quote ?? null,
    cite_info: citation(event),
    stance: {
      topic: event.topic,
      type: event.type,
      actor: event.actor,
      targets: event.targets,
      item: itemOf(event) ?? null,
      occurred: edtf(event.occurred),
      occurredBasis: event.occurred.basis ?? null,
      reportedAt: event.reportedAt,
      source: event.source,
      speaker: event.speaker ?? null,
      key: event.key ?? null,
      refersTo: event.refersTo ?? null,
      cameo: event.cameo ? { code: event.cameo.code, name: event.cameo.name, goldstein: event.cameo.goldstein } : null,
      payload: event.payload,
      correctedBy: correctedBy ?? null,
      position: event.position,
    },
  };
}
