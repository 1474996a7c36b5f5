/** The selected event: what was said, by whom, when, and where it was reported. */
import type { Evidence, Names, RecordedEvent } from './api.js';
import { longDate, occurredText } from './dates.js';
import { h } from './dom.js';
import { typeBadge } from './event-types.js';

/** A full event, or the evidence a position cites (which lacks targets and CAMEO coding). */
export type Shown = (RecordedEvent & { correctedBy?: string }) | Evidence;

function row(term: string, ...value: (Node | string)[]): HTMLElement[] {
  return [h('dt', {}, term), h('dd', {}, ...value)];
}

export function eventDetails(event: Shown, names: Names): HTMLElement {
  const targets = 'targets' in event ? event.targets : [];
  const cameo = 'cameo' in event ? event.cameo : null;
  const { source } = event;
  const title = source.url
    ? h('a', { href: source.url, rel: 'noopener noreferrer', target: '_blank' }, source.title)
    : h('cite', {}, source.title);
  return h(
    'article',
    { class: 'event-details', 'data-event-id': 'eventId' in event ? event.eventId : event.id },
    h(
      'p',
      { class: 'details-head' },
      typeBadge(event.type),
      ' ',
      h('strong', {}, names.party(event.actor)),
      targets.length ? ` → ${targets.map((t) => names.party(t)).join(', ')}` : '',
    ),
    h('p', {}, event.summary),
    event.quote ? h('blockquote', {}, `“${event.quote}”`) : null,
    h(
      'dl',
      {},
      event.speaker ? row('Speaker', event.speaker.name, event.speaker.role ? `, ${event.speaker.role}` : '') : [],
      row('Occurred', occurredText(event.occurred)),
      // Why these days: the source's words, or the public record that fixed them.
      event.occurred.basis ? row('Dated by', event.occurred.basis) : [],
      row('Reported', longDate(event.reportedAt)),
      row(
        'Source',
        title,
        `, ${source.publisher}`,
        source.author ? `, by ${source.author}` : '',
        `, ${longDate(source.publishedAt)}`,
      ),
      cameo ? row('CAMEO', `${cameo.code} ${cameo.name}; Goldstein ${cameo.goldstein}`) : [],
      event.correctedBy ? row('Status', 'corrected by a later record') : [],
    ),
  );
}
