import type { ItemPosition } from '../domain/positions/position.js';
import { evidenceRef } from '../domain/records/topic-state.js';
import type { Evidence } from '../domain/records/topic-state.js';
import type { PositionView } from '../positions/position.view.js';

export const POSITION_COLUMNS = ['party', 'topic', 'item', 'stance', 'since', 'until', 'status', 'evidence'] as const;
export type PositionRow = Readonly<Record<(typeof POSITION_COLUMNS)[number], string>>;

/** The topic as a whole, where a party's stance is on the topic rather than one of its items. */
export const WHOLE_TOPIC = '';

/** An evidence reference as the API cites it: the event id, with "+<correction id>" when a correction changed it. */
const cited = (evidence: Evidence) => evidenceRef(evidence.eventId, evidence.correctedBy);

/**
 * A party's stances on a topic at a date, one row per item: its current stance ("current", with
 * the day it counts from) and the stances it replaced within the answer's history window
 * ("replaced", with the day the next one took over), each with the event that set it.
 */
export function positionRows(view: PositionView): PositionRow[] {
  const rowsOf = (position: ItemPosition, item: string): PositionRow[] => [
    ...(position.replaced ?? []).map((old) => ({
      party: view.party,
      topic: view.topic,
      item,
      stance: old.stance,
      since: old.since,
      until: old.until,
      status: 'replaced',
      evidence: cited(old.evidence),
    })),
    {
      party: view.party,
      topic: view.topic,
      item,
      stance: position.stance,
      since: position.since,
      until: '',
      status: 'current',
      evidence: cited(position.evidence),
    },
  ];
  return [
    ...(view.topicStance ? rowsOf(view.topicStance, WHOLE_TOPIC) : []),
    ...view.items.flatMap((position) => rowsOf(position, position.item)),
  ];
}
