import { itemOf } from '../domain/events/events.js';
import type { Occurred } from '../domain/events/events.js';
import { citation, edtf, type ExportedEvent, joined, type PartyNames } from './exported-event.js';

/** ACLED's columns that Stance can fill, then Stance's own (prefixed "stance_"). */
export const ACLED_COLUMNS = [
  'event_id_cnty',
  'event_date',
  'year',
  'time_precision',
  'disorder_type',
  'event_type',
  'sub_event_type',
  'actor1',
  'assoc_actor_1',
  'actor2',
  'source',
  'notes',
  'fatalities',
  'tags',
  'timestamp',
  'stance_occurred_edtf',
  'stance_end_date',
  'stance_reported_at',
  'stance_type',
  'stance_topic',
  'stance_item',
  'stance_actor',
  'stance_targets',
  'stance_cameo_code',
  'stance_goldstein',
  'stance_plover',
  'stance_quote',
  'stance_refers_to',
  'stance_corrected_by',
] as const;

export type AcledRow = Readonly<Record<(typeof ACLED_COLUMNS)[number], string | number>>;

/** ACLED's codes for how exactly the date is known: 1 the day, 2 within a week, 3 within a month or vaguer. */
const WEEK_DAYS = 7;
export function timePrecision(occurred: Occurred): 1 | 2 | 3 {
  if (occurred.precision === 'day') return 1;
  const days = (Date.parse(occurred.to) - Date.parse(occurred.from)) / 86_400_000 + 1;
  return occurred.precision === 'interval' && days <= WEEK_DAYS ? 2 : 3;
}

/** ACLED's category for non-violent strategic events, the only one that fits diplomacy. */
export const ACLED_DISORDER = 'Strategic developments';
/** ACLED sub-event types of strategic developments that Stance's types match. */
export const ACLED_AGREEMENT = 'Agreement';
export const ACLED_OTHER = 'Other';

/**
 * An event as an ACLED-style row: a strategic development ("Agreement" for agreements, else
 * "Other"), dated by the first day of `occurred` with ACLED's time precision; the speaker is the
 * associated actor, the summary and quote are the notes; no fatalities. `timestamp` is when
 * Stance recorded it (Unix seconds), as ACLED's is when its record last changed.
 */
export function acledRow({ event, correctedBy }: ExportedEvent, names: PartyNames): AcledRow {
  return {
    event_id_cnty: event.id,
    event_date: event.occurred.from,
    year: Number(event.occurred.from.slice(0, 4)),
    time_precision: timePrecision(event.occurred),
    disorder_type: ACLED_DISORDER,
    event_type: ACLED_DISORDER,
    sub_event_type: event.type === 'agreement' ? ACLED_AGREEMENT : ACLED_OTHER,
    actor1: names(event.actor),
    assoc_actor_1: event.speaker?.name ?? '',
    actor2: joined(event.targets.map(names)),
    source: citation(event),
    notes: event.quote ? `${event.summary} "${event.quote}"` : event.summary,
    fatalities: 0,
    tags: event.type,
    timestamp: Math.floor(Date.parse(event.recordedAt) / 1000),
    stance_occurred_edtf: edtf(event.occurred),
    stance_end_date: event.occurred.to,
    stance_reported_at: event.reportedAt,
    stance_type: event.type,
    stance_topic: event.topic,
    stance_item: itemOf(event) ?? '',
    stance_actor: event.actor,
    stance_targets: joined(event.targets),
    stance_cameo_code: event.cameo?.code ?? '',
    stance_goldstein: event.cameo?.goldstein ?? '',
    stance_plover: event.cameo?.plover ?? '',
    stance_quote: event.quote ?? '',
    stance_refers_to: event.refersTo ?? '',
    stance_corrected_by: correctedBy ?? '',
  };
}
