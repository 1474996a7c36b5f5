import type { ForeignEvent } from './foreign-event.js';
import { day, list, missing, type Read, type Row, text } from './foreign-rows.js';

/**
 * A PLOVER record (one JSON line): id, date, enddate, actor, recipient, event, mode, context,
 * event_text, text, link, cite_info; and Stance's own fields under `stance`, where it came
 * from a Stance export (the event then comes back as it was exported).
 */
export function readPlover(row: Row): Read {
  const date = day(row.date);
  if (!date) return missing('date');
  const stance = (row.stance && typeof row.stance === 'object' ? row.stance : {}) as Record<string, unknown>;
  const cameo =
    stance.cameo && typeof stance.cameo === 'object' ? text((stance.cameo as Record<string, unknown>).code) : undefined;
  const cite = text(row.cite_info);
  return {
    id: text(row.id),
    date,
    enddate: day(row.enddate),
    edtf: text(stance.occurred),
    basis: text(stance.occurredBasis),
    actor: text(stance.actor) ?? text(row.actor) ?? '',
    recipients: stance.targets !== undefined ? list(stance.targets) : list(row.recipient),
    category: text(row.event),
    mode: text(row.mode),
    cameo,
    summary: text(row.event_text),
    quote: text(row.text),
    // A Stance export's source comes back whole; another's, from its citation (the publisher and
    // title made the whole cite_info text, and the author and publication day were lost).
    source:
      stance.source && typeof stance.source === 'object'
        ? (stance.source as ForeignEvent['source'])
        : {
            publisher: cite ?? 'PLOVER record',
            title: cite ?? text(row.id) ?? 'PLOVER record',
            ...(text(row.link) ? { url: text(row.link) } : {}),
          },
    reportedAt: text(stance.reportedAt),
    topics: [text(stance.topic), ...list(row.context)].filter((t): t is string => t !== undefined),
    stance: {
      type: text(stance.type),
      item: text(stance.item),
      ...(stance.payload && typeof stance.payload === 'object'
        ? { payload: stance.payload as Record<string, unknown> }
        : {}),
      ...(stance.speaker && typeof stance.speaker === 'object'
        ? { speaker: stance.speaker as { name: string; role?: string } }
        : {}),
      key: text(stance.key),
      refersTo: text(stance.refersTo),
    },
  };
}
