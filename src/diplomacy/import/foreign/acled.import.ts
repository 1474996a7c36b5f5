import { ACLED_AGREEMENT, ACLED_DISORDER } from '../../export/acled.row.js';
import { day, list, missing, type Read, type Row, text } from './foreign-rows.js';

/**
 * An ACLED-style row. Only a strategic development that is an agreement is a diplomatic position
 * Stance records (as an accord in words); ACLED's other events (battles, violence, protests,
 * riots, explosions, other strategic developments) are reported, not imported. Stance's own
 * columns (stance_*) are used where present.
 */
export function readAcled(row: Row): Read {
  const date = day(row.event_date);
  if (!date) return missing('event_date');
  const eventType = text(row.event_type);
  const subType = text(row.sub_event_type);
  if (eventType !== ACLED_DISORDER || subType !== ACLED_AGREEMENT)
    return {
      message: `ACLED's "${eventType ?? ''}${subType ? ` / ${subType}` : ''}" is not imported: only "${ACLED_DISORDER} / ${ACLED_AGREEMENT}" is a diplomatic position Stance records`,
    };
  const source = text(row.source) ?? 'ACLED record';
  return {
    id: text(row.event_id_cnty),
    date,
    enddate: day(row.stance_end_date),
    edtf: text(row.stance_occurred_edtf),
    actor: text(row.stance_actor) ?? text(row.actor1) ?? '',
    recipients: row.stance_targets !== undefined ? list(row.stance_targets) : list(row.actor2),
    category: 'AGREE',
    cameo: text(row.stance_cameo_code),
    summary: text(row.notes),
    quote: text(row.stance_quote),
    source: { publisher: source, title: source },
    reportedAt: text(row.stance_reported_at),
    topics: [text(row.stance_topic)].filter((t): t is string => t !== undefined),
    stance: { item: text(row.stance_item), refersTo: text(row.stance_refers_to) },
  };
}
