import { Problem } from '../../../shared/problem.js';
import type { AgreementPayload, DiplomaticEvent } from '../events/events.js';
import { headOf, recordOf, type RecordStatus, statusOf, type TopicState } from './topic-state.js';

/** What the standing checks read of an event: a command being decided, or an event recorded. */
export type Checked = Pick<DiplomaticEvent, 'type' | 'actor' | 'payload' | 'refersTo'>;

/** `status`: the status of the record that made the event impossible, where one did. */
const unprocessable = (field: string, problem: string, status?: RecordStatus) =>
  Problem.field('unprocessable', field, problem, status ? { status } : {});

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
  switch (event.type) {
    case 'concession':
      if (target.type === 'proposal') {
        // Backing down on one's own proposal: it must still be on the table.
        if (target.actor === event.actor && status !== 'open')
          throw unprocessable('refersTo', `the proposal ${target.id} is no longer open (${status})`, status);
        return;
      }
      // A refused demand can still be met; a met, withdrawn, superseded or moot one cannot.
      if (target.actor !== event.actor && status !== 'active' && status !== 'refused')
        throw unprocessable('refersTo', `the ${target.type} ${target.id} is no longer active (${status})`, status);
      return;
    case 'withdrawal': {
      if (target.type === 'agreement' || target.actor !== event.actor) return;
      // A restated record is withdrawn through the restatement that stands in its place (headOf).
      const head = headOf(state, target.id);
      const headRecord = recordOf(state, head);
      const headStatus = headRecord && statusOf(kind, headRecord);
      if (headStatus !== undefined && headStatus !== 'open' && headStatus !== 'active' && headStatus !== 'refused') {
        const via = head === target.id ? '' : ` (restated by ${head})`;
        throw unprocessable(
          'refersTo',
          `the ${target.type} ${target.id}${via} is not active any more (${headStatus})`,
          headStatus,
        );
      }
      return;
    }
    case 'agreement': {
      if (target.type !== 'proposal') return;
      if (target.actor === event.actor && !(event.payload as AgreementPayload).parties?.length) return;
      if (status === 'withdrawn' || status === 'moot' || status === 'conceded') {
        throw unprocessable('refersTo', `the proposal ${target.id} is not open (${status})`, status);
      }
      if (status === 'superseded') {
        // A restated proposal is signed through the restatement that stands in its place (headOf).
        const head = headOf(state, target.id);
        const headRecord = recordOf(state, head);
        const headStatus = headRecord && statusOf(kind, headRecord);
        if (headStatus === 'withdrawn' || headStatus === 'moot' || headStatus === 'conceded')
          throw unprocessable(
            'refersTo',
            `the proposal ${target.id} (restated by ${head}) is not open (${headStatus})`,
            headStatus,
          );
      }
      return;
    }
    default:
      return;
  }
}
