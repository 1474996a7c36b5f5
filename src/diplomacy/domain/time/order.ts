import type { DiplomaticEvent, EventType, Occurred, PlacedEvent } from '../events/events.js';
import type { TopicState } from '../records/topic-state.js';
import { dayOf } from './dates.js';

/** Types that answer another event: they can only take effect once it has (an action: the threat it carries out). */
const ANSWERS = new Set<string>(['rejection', 'withdrawal', 'agreement', 'concession', 'statement', 'action']);

/**
 * Where an event stands in its topic's order (docs/architecture.md, "Order inside a topic"):
 * the day from which it counts, then (on the same day) events before the answers to them, then
 * the start of the occurred interval, the report, and the global position. An event counts from
 * the last day it can have happened on (lastPossibleDay), which makes "every event counted at date
 * X" a prefix of this order, so the state at X is one fold of a prefix. An event answered (provenBy)
 * counts from the earliest day one of its answers proves it had happened by, if that comes first; an
 * answer counts from the later of that day and its target's, so a rejection dated inside the
 * proposal's interval never folds before the proposal.
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

/** Whether an event answers what its refersTo names, and so can only take effect once that has (and proves it had). */
export function answersItsReference(event: { readonly type: EventType; readonly refersTo?: string }): boolean {
  return ANSWERS.has(event.type) && event.refersTo !== undefined;
}

/**
 * The earliest day each of these events is proven to have happened by: its own last possible day,
 * or that of an event answering it (transitively: an answer to an answer proves both) if earlier.
 * A rejection dated 5 June and reported on the 6th proves that the proposal it rejects, dated 1-10
 * June and reported on the 11th, had happened by the 6th: the proposal counts from then, and the
 * rejection no longer waits for the 10th (it counted from the proposal's day, so on the 7th neither
 * showed though the world knew of both). `events`: the events that count, corrected, without the
 * retracted ones (a retracted answer proves nothing; nor does one known only after `knownAt`,
 * which effectiveLog has left out), in any order; an answer is recorded after what it answers.
 * The map holds the events that are answered, each with the earliest day its answers prove
 * (placeOf takes it where it comes before the event's own last possible day).
 */
export function provenDays(events: readonly PlacedEvent[]): Map<string, string> {
  const byPosition = [...events].sort((a, b) => b.position - a.position);
  const counted = new Set(events.map((e) => e.id));
  const proven = new Map<string, string>();
  // Latest recorded first: every answer to an event is folded into its day before the event is reached.
  for (const event of byPosition) {
    if (!answersItsReference(event) || !counted.has(event.refersTo!)) continue;
    const own = lastPossibleDay(event);
    const day = (proven.get(event.id) ?? own) < own ? proven.get(event.id)! : own;
    const target = event.refersTo!;
    const was = proven.get(target);
    if (was === undefined || day < was) proven.set(target, day);
  }
  return proven;
}

/**
 * When an event counts and how deep it answers. `target`: the place of what it answers, if
 * anything; `provenBy`: the earliest day its answers prove it had happened by (provenDays), if any.
 * It counts from that day if it comes before its own last possible day, but never before the event
 * began (its date wins over an answer that contradicts it, as over a report), and an answer never
 * before what it answers.
 */
export function placeOf(event: DiplomaticEvent, target?: AnsweredKey, provenBy?: string): AnsweredKey {
  const answer = answersItsReference(event);
  const last = lastPossibleDay(event);
  const proven = provenBy === undefined || provenBy >= last ? last : provenBy;
  const own = proven > event.occurred.from ? proven : event.occurred.from;
  const countsFrom = answer && target && target.countsFrom > own ? target.countsFrom : own;
  return { countsFrom, depth: answer ? (target?.depth ?? 0) + 1 : 0 };
}

/**
 * Whether an answer moves what it answers earlier: its last possible day comes before the day that
 * counts from. Such an answer changes the topic's past, as a correction re-dating its target would:
 * a fold cannot take it in at the end, and decide checks the events after the target's new place.
 */
export function movesWhatItAnswers(
  event: { readonly type: EventType; readonly refersTo?: string } & Parameters<typeof lastPossibleDay>[0],
  target: AnsweredKey | undefined,
): boolean {
  return answersItsReference(event) && target !== undefined && lastPossibleDay(event) < target.countsFrom;
}

/** `target`: the place of the event this one answers, if it has one; `provenBy`: as placeOf. */
export function orderKey(event: PlacedEvent, target?: AnsweredKey, provenBy?: string): OrderKey {
  const { countsFrom, depth } = placeOf(event, target, provenBy);
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
