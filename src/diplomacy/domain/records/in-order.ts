import { Problem, type FieldProblem } from '../../../shared/problem.js';
import type { DiplomaticEvent } from '../events/events.js';
import { occurredText } from '../time/dates.js';
import { type AnsweredKey, compareOrder, type OrderKey, orderKey } from '../time/order.js';
import { checkStanding } from './standing.js';
import { TopicFold } from './topic-fold.js';
import type { TopicState } from './topic-state.js';

/** A recorded event of the topic, as corrected, where it stands in the topic's order (timeline's EffectiveEvent is one). */
export interface OrderedEvent {
  readonly event: DiplomaticEvent;
  readonly correctedBy?: string;
  readonly key: OrderKey;
}

/** The place an event being decided will take: after every recorded event of its day, depth, start and report. */
export function placeOfNew(event: DiplomaticEvent, answered?: AnsweredKey): OrderKey {
  const last = Number.MAX_SAFE_INTEGER;
  return orderKey({ ...event, version: last, position: last }, answered);
}

/**
 * decide's standing rules (standing.ts) for an event at its own place in the topic's order: a
 * report that arrives late (it counts before the topic's last event) is true of its own date, so it
 * is checked against the topic as it stood then, not as it stands now. Backing down on a proposal
 * on 5 June is possible though a withdrawal of the whole plan made that proposal moot on 10 June;
 * checked against today's topic it was refused as "no longer open (moot)".
 *
 * The events after its place were checked without it: each is checked again with it in place, and
 * one it would make impossible (a withdrawal dated before the signing of what it withdraws, a
 * proposal of an item before another party's proposal of it) is a 422 naming that event and what
 * it would break. The log keeps one consistent history: one of the two is wrong, and the user
 * retracts or corrects it. A later event that already failed its check without the new one (a
 * correction moved it; corrections change the past unchecked) is not held against it. The rules
 * are the same whichever report comes first: what decide refuses of an event recorded after
 * another, it refuses of the other recorded late before it (a signing of an offer the end of its
 * plan made moot, either way round), so what the log holds does not depend on arrival.
 *
 * `history`: the topic's recorded events in topic order, corrected, without the retracted ones;
 * `current`: their fold, for an event that counts after all of them (the common case, no refold).
 */
export function checkInOrder(
  event: DiplomaticEvent,
  target: DiplomaticEvent | undefined,
  history: readonly OrderedEvent[],
  current: TopicState,
): void {
  const answered = event.refersTo ? history.find((h) => h.event.id === event.refersTo)?.key : undefined;
  const place = placeOfNew(event, answered);
  const last = history.at(-1);
  if (!last || compareOrder(place, last.key) > 0) return checkStanding(event, target, current);

  const without = new TopicFold(event.topic, { tracking: false });
  let i = 0;
  for (; i < history.length && compareOrder(history[i].key, place) < 0; i++)
    without.apply(history[i].event, history[i].correctedBy);
  checkStanding(event, target, without.state);

  const withIt = TopicFold.fromSnapshot({ state: structuredClone(without.state) });
  withIt.tracking = false;
  withIt.apply(event);
  const byId = new Map<string, DiplomaticEvent>(history.map((h) => [h.event.id, h.event]));
  for (; i < history.length; i++) {
    const { event: later, correctedBy } = history[i];
    const laterTarget = later.refersTo ? byId.get(later.refersTo) : undefined;
    const broken = problemOf(() => checkStanding(later, laterTarget, withIt.state));
    if (broken && !problemOf(() => checkStanding(later, laterTarget, without.state)))
      throw conflict(event, later, broken);
    without.apply(later, correctedBy);
    withIt.apply(later, correctedBy);
  }
}

function problemOf(check: () => void): Problem | undefined {
  try {
    check();
    return undefined;
  } catch (error) {
    if (error instanceof Problem) return error;
    throw error;
  }
}

function conflict(event: DiplomaticEvent, later: DiplomaticEvent, broken: Problem): Problem {
  const [first] = (broken.details.errors ?? []) as FieldProblem[];
  return Problem.field(
    'unprocessable',
    'occurred',
    `this ${event.type} (${occurredText(event.occurred)}) would come before the ${later.type} ${later.id} ` +
      `(${occurredText(later.occurred)}) in the topic's order, which could not have followed it: ` +
      `${first?.problem ?? broken.message}; retract or correct one of them`,
    { conflictsWith: later.id },
  );
}
