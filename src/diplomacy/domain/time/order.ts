import type { DiplomaticEvent, Occurred, PlacedEvent } from '../events/events.js';
import type { TopicState } from '../records/topic-state.js';
import { dayOf } from './dates.js';

/** Types that answer another event: they can only take effect once it has (an action: the threat it carries out). */
const ANSWERS = new Set<string>(['rejection', 'withdrawal', 'agreement', 'concession', 'statement', 'action']);

/** Whether an event answers another (its refersTo): it can take effect only once what it answers has. */
export const isAnswer = (event: Pick<DiplomaticEvent, 'type' | 'refersTo'>): boolean =>
  ANSWERS.has(event.type) && event.refersTo !== undefined;

/**
 * Where an event stands in its topic's order (docs/architecture.md, "Order inside a topic"):
 * the day from which it counts, then (on the same day) events before the answers to them, then
 * the start of the occurred interval, the report, and the global position. An event counts from
 * the last day it can have happened on (lastPossibleDay), which makes "every event counted at date
 * X" a prefix of this order, so the state at X is one fold of a prefix. An answer counts from the
 * later of its own last day and its target's, so a rejection dated inside the proposal's interval
 * never folds before the proposal.
 */
export interface OrderKey {
  readonly countsFrom: string;
  /**
   * 0 for an event that answers nothing; one more than what it answers for an answer. Answers can
   * answer answers (a reaction to a withdrawal, an agreement joining an agreement), so on one day
   * a chain folds in its own order whatever the reports' times.
   */
  readonly depth: number;
  readonly from: string;
  readonly reportedAt: string;
  readonly position: number;
}

/** What an answer needs of the event it answers to place itself after it: when that counts, and its depth. */
export interface AnsweredKey {
  readonly countsFrom: string;
  readonly depth: number;
}

/**
 * The last day an event can have happened on: the end of its occurred interval, or the (UTC) day it
 * was reported if that came first, since a report proves the event had happened by then (decide
 * refuses a report dated before the event began). The one owner of "when an event counts": a
 * statement dated "July 2022" and reported on 10 July counts from 10 July, not from 31 July, three
 * weeks after the world knew it. Before that day it is only possibly in effect (timeline.ts). The
 * event keeps its occurred as the source gave it: the evidence card, the log and the exports show that.
 * A report dated before the event began (a log written before decide refused one) contradicts its
 * date; the date wins, so no event counts before it began.
 */
export function lastPossibleDay(event: {
  readonly occurred: Pick<Occurred, 'from' | 'to'>;
  readonly reportedAt: string;
}): string {
  const { from, to } = event.occurred;
  const reported = dayOf(event.reportedAt);
  return reported >= to ? to : reported > from ? reported : from;
}

/** When an event counts and how deep it answers; `target`: the place of what it answers, if anything. */
export function placeOf(event: DiplomaticEvent, target?: AnsweredKey): AnsweredKey {
  const answer = ANSWERS.has(event.type) && event.refersTo !== undefined;
  const own = lastPossibleDay(event);
  const countsFrom = answer && target && target.countsFrom > own ? target.countsFrom : own;
  return { countsFrom, depth: answer ? (target?.depth ?? 0) + 1 : 0 };
}

/** `target`: the place of the event this one answers, if it has one. */
export function orderKey(event: PlacedEvent, target?: AnsweredKey): OrderKey {
  const { countsFrom, depth } = placeOf(event, target);
  return { countsFrom, depth, from: event.occurred.from, reportedAt: event.reportedAt, position: event.position };
}

export function compareOrder(a: OrderKey, b: OrderKey): number {
  return (
    cmp(a.countsFrom, b.countsFrom) ||
    a.depth - b.depth ||
    cmp(a.from, b.from) ||
    cmp(a.reportedAt, b.reportedAt) ||
    a.position - b.position
  );
}

/**
 * The place of what an event answers, as the folded state knows it: a record (which answers
 * nothing: depth 0) or a decision a reaction may name (which keeps its own place).
 */
export function answeredKey(state: TopicState, event: DiplomaticEvent): AnsweredKey | undefined {
  if (!event.refersTo) return undefined;
  const id = event.refersTo;
  const decision = state.decisions[id];
  if (decision) return { countsFrom: decision.countsFrom, depth: decision.depth };
  const record = state.proposals[id] ?? state.demands[id] ?? state.threats[id] ?? state.settled[id];
  return record ? { countsFrom: record.countsFrom, depth: 0 } : undefined;
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
