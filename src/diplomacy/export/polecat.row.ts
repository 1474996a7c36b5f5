import { quadClassOf } from '../domain/events/cameo.js';
import { itemOf } from '../domain/events/events.js';
import { citation, edtf, type ExportedEvent, joined, type PartyNames } from './exported-event.js';

/** POLECAT's columns that Stance can fill, then Stance's own (prefixed "Stance"). */
export const POLECAT_COLUMNS = [
  'Event ID',
  'Event Date',
  'Event Type',
  'Event Mode',
  'Quad Code',
  'Contexts',
  'Actor Name',
  'Actor Title',
  'Recipient Name',
  'Source',
  'Publication Date',
  'Headline',
  'Event Text',
  'Stance Occurred EDTF',
  'Stance End Date',
  'Stance Reported At',
  'Stance Type',
  'Stance Topic',
  'Stance Item',
  'Stance Actor',
  'Stance Recipients',
  'Stance CAMEO Code',
  'Stance Goldstein',
  'Stance Quote',
  'Stance Source URL',
  'Stance Refers To',
  'Stance Corrected By',
] as const;

export type PolecatRow = Readonly<Record<(typeof POLECAT_COLUMNS)[number], string | number>>;

/**
 * An event as a POLECAT-style row: the PLOVER category as Event Type, the quad class by name,
 * the speaker as the actor's title. Event Date is the first day of `occurred`; the EDTF form and
 * the last day are in Stance's columns, so a vague date is never made to look exact.
 */
export function polecatRow({ event, correctedBy }: ExportedEvent, names: PartyNames): PolecatRow {
  return {
    'Event ID': event.id,
    'Event Date': event.occurred.from,
    'Event Type': event.cameo?.plover ?? '',
    'Event Mode': event.type === 'freeze_demand' ? 'yield' : '',
    'Quad Code': event.cameo ? quadClassOf(event.cameo.code).name.toUpperCase() : '',
    Contexts: event.topic,
    'Actor Name': names(event.actor),
    'Actor Title': event.speaker ? [event.speaker.name, event.speaker.role].filter(Boolean).join(', ') : '',
    'Recipient Name': joined(event.targets.map(names)),
    Source: event.source.publisher,
    'Publication Date': event.source.publishedAt.slice(0, 10),
    Headline: event.source.title,
    'Event Text': event.summary,
    'Stance Occurred EDTF': edtf(event.occurred),
    'Stance End Date': event.occurred.to,
    'Stance Reported At': event.reportedAt,
    'Stance Type': event.type,
    'Stance Topic': event.topic,
    'Stance Item': itemOf(event) ?? '',
    'Stance Actor': event.actor,
    'Stance Recipients': joined(event.targets),
    'Stance CAMEO Code': event.cameo?.code ?? '',
    'Stance Goldstein': event.cameo?.goldstein ?? '',
    'Stance Quote': event.quote ?? '',
    'Stance Source URL': event.source.url ?? citation(event),
    'Stance Refers To': event.refersTo ?? '',
    'Stance Corrected By': correctedBy ?? '',
  };
}
