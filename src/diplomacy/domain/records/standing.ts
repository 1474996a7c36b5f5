import { Problem } from '../../../shared/problem.js';
import type { AgreementPayload, DiplomaticEvent } from '../events/events.js';
import { headOf, parseEvidenceRef, recordOf, statusOf, type TopicState } from './topic-state.js';

/** What the standing checks read of an event: a command being decided, or an event recorded. */
export type Checked = Pick<DiplomaticEvent, 'type' | 'actor' | 'payload' | 'refersTo'>;

const unprocessable = (field: string, problem: string) => Problem.field('unprocessable', field, problem);

/**
 * decide's rules that read the topic's records (DESIGN section 4): who put an item on the table,
 * and whether the record an answer names still stands. They are checked against the topic as it
 * stood at the event's own place in the topic's order (decide, `history`), and every later event
 * is checked again by them when a late report lands before it (in-order.ts): the other rules of
 * decide read nothing that an event earlier in the order can change.
 */
export function checkStanding(event: Checked, target: DiplomaticEvent | undefined, state: TopicState): void {
  const item = (event.payload as { item?: unknown }).item;
  if (event.type === 'proposal' && typeof item === 'string') {
    const proposer = state.items[item]?.proposer;
    if (proposer && proposer !== event.actor) {
      throw unprocessable(
        'payload.item',
        `"${item}" was proposed by ${proposer}; ${event.actor} can endorse it, agree to it or state a stance on it, not propose it`,
      );
    }
  }
  if (!target) return;
  const kind = target.type === 'proposal' ? 'proposal' : target.type === 'threat' ? 'threat' : 'demand';
  const record = recordOf(state, target.id);
  const status = record && statusOf(kind, record);
  // A restated record is answered through the restatement that stands in its place (headOf).
  const head = headOf(state, target.id);
  const headRecord = recordOf(state, head);
  const headStatus = headRecord && statusOf(kind, headRecord);
  const via = head === target.id ? '' : ` (restated by ${head})`;
  switch (event.type) {
    case 'concession':
      if (target.type === 'proposal') {
        // Backing down on one's own proposal: it must still be on the table.
        if (target.actor === event.actor && headStatus !== 'open')
          throw unprocessable('refersTo', `the proposal ${target.id}${via} is no longer open (${headStatus})`);
        return;
      }
      // A refused demand can still be met; a met, withdrawn or moot one cannot.
      if (target.actor !== event.actor && headStatus !== 'active' && headStatus !== 'refused')
        throw unprocessable('refersTo', `the ${target.type} ${target.id}${via} is no longer active (${headStatus})`);
      return;
    case 'withdrawal': {
      if (target.type === 'agreement' || target.actor !== event.actor) return;
      // A record the log made moot (the plan it was about ended) may still be withdrawn by its
      // author, once: a true claim of its own date, kept after the closure (laterWithdrawals).
      // Refusing it made what is recorded depend on which report came first (audit of 2026-12-07);
      // a second withdrawal is refused whichever came first, as one of a standing record is.
      const withdrawn = headRecord?.laterWithdrawals?.[0];
      if (headStatus === 'moot' && withdrawn)
        throw unprocessable(
          'refersTo',
          `the ${target.type} ${target.id}${via} was withdrawn already (by ${parseEvidenceRef(withdrawn.by).eventId} on ${withdrawn.on}), after it became moot`,
        );
      if (
        headStatus !== undefined &&
        headStatus !== 'open' &&
        headStatus !== 'active' &&
        headStatus !== 'refused' &&
        headStatus !== 'moot'
      )
        throw unprocessable('refersTo', `the ${target.type} ${target.id}${via} is not active any more (${headStatus})`);
      return;
    }
    case 'agreement':
      if (target.type !== 'proposal') return;
      if (target.actor === event.actor && !(event.payload as AgreementPayload).parties?.length) return;
      if (status === 'withdrawn' || status === 'moot' || status === 'conceded')
        throw unprocessable('refersTo', `the proposal ${target.id} is not open (${status})`);
      // A restated proposal is signed through the restatement that stands in its place (headOf).
      if (status === 'superseded' && (headStatus === 'withdrawn' || headStatus === 'moot' || headStatus === 'conceded'))
        throw unprocessable('refersTo', `the proposal ${target.id}${via} is not open (${headStatus})`);
      return;
    default:
      return;
  }
}
