/**
 * Where everyone stood on a date, at a glance: one row per party, one column per item on the
 * table by then, each cell the party's stance (its evidence on click), with the party's records on
 * the item that had closed (withdrawn, refused, moot...) marked beside it. Built from the API's
 * topic positions, the same answer the cards below it show in full.
 */
import type { ClosedView, Evidence, Names, PositionView } from './api.js';
import { longDate } from './dates.js';
import { type Child, h } from './dom.js';
import { stanceBadge } from './position-card.js';

/** The column of a party's stance on the topic as a whole (no item). */
const WHOLE = '';

interface Column {
  readonly item: string;
  readonly title: string;
}

/** Items in the order parties took them up (the first position naming one places it). */
function columnsOf(positions: readonly PositionView[]): Column[] {
  const columns = new Map<string, string>();
  if (positions.some((p) => p.topicStance)) columns.set(WHOLE, 'The topic as a whole');
  for (const p of positions) {
    for (const i of p.items) if (!columns.has(i.item)) columns.set(i.item, i.title);
    for (const c of [...p.closed, ...p.closedConcerningParty])
      if (c.item && !columns.has(c.item)) columns.set(c.item, c.title ?? c.item);
  }
  return [...columns].map(([item, title]) => ({ item, title }));
}

export function stanceGrid(
  positions: readonly PositionView[],
  names: Names,
  onEvidence: (evidence: Evidence, button: HTMLButtonElement) => void,
): HTMLElement {
  const columns = columnsOf(positions);
  const evidenceButton = (evidence: Evidence, label: string, ...content: Child[]) => {
    const button = h('button', { type: 'button', class: 'cell-button', 'aria-label': label }, ...content);
    button.addEventListener('click', () => onEvidence(evidence, button));
    return button;
  };

  const cell = (position: PositionView, column: Column): HTMLElement => {
    const stance = column.item === WHOLE ? position.topicStance : position.items.find((i) => i.item === column.item);
    // A superseded record was restated, not ended: the restatement stands in its place.
    const closed: ClosedView[] = position.closed.filter(
      (c) => c.by === position.party && c.item === column.item && c.status !== 'superseded',
    );
    const where = `${position.partyName} on ${column.title}`;
    const content: Child[] = [];
    if (stance && stance.stance !== 'unknown') {
      content.push(
        evidenceButton(
          stance.evidence,
          `${where}: ${stance.stance} since ${longDate(stance.since)}. Show the evidence`,
          stanceBadge(stance.stance),
        ),
      );
    }
    // The latest closure first: what became of the party's own records on the item.
    for (const c of closed.slice(0, 1)) {
      content.push(
        evidenceButton(
          c.closed.evidence,
          `${where}: ${names.its(position.party)} ${c.record} ${c.status.replace(/-/g, ' ')} on ${longDate(c.closed.on)}. Show the evidence`,
          h('span', { class: `closed-mark closed-${c.status}` }, `${c.record} ${c.status.replace(/-/g, ' ')}`),
        ),
      );
    }
    return h(
      'td',
      { 'data-item': column.item || 'topic', 'data-stance': stance?.stance ?? 'none' },
      content.length
        ? content
        : [
            h('span', { class: 'muted', 'aria-hidden': 'true' }, '—'),
            h('span', { class: 'visually-hidden' }, 'no recorded stance'),
          ],
    );
  };

  if (!positions.length || !columns.length) {
    return h('p', { class: 'muted' }, 'No party had a recorded stance on any item by then.');
  }
  return h(
    'table',
    { class: 'stance-grid' },
    h('caption', { class: 'visually-hidden' }, 'Each party’s stance on each item; a button shows its evidence'),
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        h('th', { scope: 'col' }, 'Party'),
        columns.map((c) => h('th', { scope: 'col', 'data-item': c.item || 'topic' }, c.title)),
      ),
    ),
    h(
      'tbody',
      {},
      positions.map((p) =>
        h(
          'tr',
          { 'data-party': p.party },
          h('th', { scope: 'row' }, names.party(p.party)),
          columns.map((c) => cell(p, c)),
        ),
      ),
    ),
  );
}
