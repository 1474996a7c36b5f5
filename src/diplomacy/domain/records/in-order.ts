import { Problem, type FieldProblem } from '../../../shared/problem.js';
import {
  type CorrectionChanges,
  type DiplomaticEvent,
  type DiplomaticEventOf,
  type EventType,
  isAboutARecord,
  type Occurred,
  type PlacedEvent,
} from '../events/events.js';
import { longDate, occurredText } from '../time/dates.js';
import {
  type AnsweredKey,
  compareOrder,
  lastPossibleDay,
  movesWhatItAnswers,
  type OrderKey,
  orderKey,
} from '../time/order.js';
import { effectiveLog } from '../time/timeline.js';
import { breakingLater, checkStanding, readsForgotten } from './standing.js';
import { TopicFold } from './topic-fold.js';
import type { TopicState } from './topic-state.js';

/** A recorded event of the topic, as corrected, where it stands in the topic's order (timeline's EffectiveEvent is one). */
export interface OrderedEvent {
  readonly event: DiplomaticEvent;
  readonly correctedBy?: string;
  readonly key: OrderKey;
}

/** An event being decided, placed after every recorded one in the log. */
const placedLast = (event: DiplomaticEvent): PlacedEvent => ({
  ...event,
  version: Number.MAX_SAFE_INTEGER,
  position: Number.MAX_SAFE_INTEGER,
});

/** The place an event being decided will take: after every recorded event of its day, depth, start and report. */
export function placeOfNew(event: DiplomaticEvent, answered?: AnsweredKey): OrderKey {
  return orderKey(placedLast(event), answered);
}

/**
 * An answer that had happened before what it answers began (by the last day it can have happened
 * on: the end of its date, or its report if that came first): it could not have answered it.
 */
export function answersBeforeItBegan(
  answer: { readonly type: EventType; readonly occurred: Occurred; readonly reportedAt: string },
  target: { readonly occurred: Occurred },
): boolean {
  return !isAboutARecord(answer.type) && lastPossibleDay(answer) < target.occurred.from;
}

/** ", reported on 10 July 2022" when an event was reported before its date ends (what then dates its end), else nothing. */
export function reportedBeforeItsEnd(event: { readonly occurred: Occurred; readonly reportedAt: string }): string {
  const last = lastPossibleDay(event);
  return last === event.occurred.to ? '' : `, reported on ${longDate(last)}`;
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
 * retracts or corrects it. A later event that already failed its check without the new one (the
 * log may hold such from before corrections were checked) is not held against it. The rules
 * are the same whichever report comes first: what decide refuses of an event recorded after
 * another, it refuses of the other recorded late before it (a signing of an offer the end of its
 * plan made moot, either way round), so what the log holds does not depend on arrival.
 *
 * An answer that proves what it answers happened before the day that counted from
 * (movesWhatItAnswers: a rejection reported before the end of the proposal's dates) moves it, and
 * what that answers, earlier in the order: the topic is then checked as the log with it in place
 * orders it (checkMovedInOrder), as a correction that re-dates an event is.
 *
 * `history`: the topic's recorded events in topic order, corrected, without the retracted ones;
 * `current`: their fold, for an event that counts after all of them (the common case, no refold);
 * `log`: the recorded events as stored, where the caller read them (DecisionContext.log).
 */
export function checkInOrder(
  event: DiplomaticEvent,
  target: DiplomaticEvent | undefined,
  history: readonly OrderedEvent[],
  current: TopicState,
  log?: readonly PlacedEvent[],
): void {
  const answered = event.refersTo ? history.find((h) => h.event.id === event.refersTo)?.key : undefined;
  if (log && movesWhatItAnswers(event, answered)) return checkMovedInOrder(event, history, log);
  const place = placeOfNew(event, answered);
  const last = history.at(-1);
  // After every recorded event, it is checked against `current`, unless that fold let go of what the
  // check reads (readsForgotten): then against a fold of the whole history, below.
  if (!last || (compareOrder(place, last.key) > 0 && !readsForgotten(event, target, current)))
    return checkStanding(event, target, current);

  const without = new TopicFold(event.topic, { tracking: false });
  let i = 0;
  for (; i < history.length && compareOrder(history[i].key, place) < 0; i++)
    without.apply(history[i].event, history[i].correctedBy, history[i].key);
  checkStanding(event, target, without.state);

  const withIt = TopicFold.fromSnapshot({ state: structuredClone(without.state) });
  withIt.tracking = false;
  withIt.apply(event, undefined, place);
  const byId = new Map<string, DiplomaticEvent>(history.map((h) => [h.event.id, h.event]));
  for (; i < history.length; i++) {
    const { event: later, correctedBy, key } = history[i];
    const laterTarget = later.refersTo ? byId.get(later.refersTo) : undefined;
    const broken = problemOf(() => checkStanding(later, laterTarget, withIt.state));
    if (broken && !problemOf(() => checkStanding(later, laterTarget, without.state)))
      throw conflict(event, later, broken, withIt.state);
    without.apply(later, correctedBy, key);
    withIt.apply(later, correctedBy, key);
  }
}

/**
 * An answer that moves what it answers earlier (checkInOrder), checked as the log with it orders the
 * topic (effectiveLog): it at its place, and every event whose place or whose predecessors it
 * changes; the first that fails and did not fail without it is a 422 on `occurred` naming it.
 */
function checkMovedInOrder(
  event: DiplomaticEvent,
  history: readonly OrderedEvent[],
  log: readonly PlacedEvent[],
): void {
  const failedBefore = new Set(failedChecks(history).keys());
  const after = effectiveLog([...log, placedLast(event)]).events;
  for (const [id, broken] of failedChecks(after)) {
    if (failedBefore.has(id)) continue;
    if (id === event.id) throw broken;
    const failing = after.find((h) => h.event.id === id)!.event;
    const target = after.find((h) => h.event.id === event.refersTo)?.event;
    const [first] = (broken.details.errors ?? []) as FieldProblem[];
    throw Problem.field(
      'unprocessable',
      'occurred',
      `this ${event.type} (${occurredText(event.occurred)}${reportedBeforeItsEnd(event)}) proves that ` +
        `${target ? `the ${target.type} ${target.id}` : 'what'} it answers had happened by ${longDate(lastPossibleDay(event))}; ` +
        `so placed, the ${failing.type} ${failing.id} (${occurredText(failing.occurred)}) could not stand where it falls ` +
        `in the topic's order: ${first?.problem ?? broken.message}; retract or correct one of them`,
      { conflictsWith: failing.id },
    );
  }
}

/**
 * A correction is held to the rule a late report is held to (checkInOrder): the log with it applied
 * (effectiveLog) must be a history decide would have accepted. A correction moved a withdrawal of a
 * proposal to before Russia's signing of it, and was accepted: Russia's position then read "accepted
 * it" and the US's "withdrawn, no response", two answers that cannot both be true (audit 1, finding 3).
 * So the corrected event at its new place, and every event after it, must still pass the standing
 * rules (and an answer must not end before what it answers began); the first that would not is a 422
 * on the changed field, naming the event it contradicts (`conflictsWith`). As for a late report, an
 * event that failed without the correction too (the log may hold such from before this rule, or a
 * record answered before its retraction) is not held against it.
 *
 * `log`: the topic's recorded events as stored, every type. A correction is rare: it refolds the topic
 * twice here, as the projection refolds it on append.
 */
export function checkCorrectionInOrder(correction: DiplomaticEventOf<'correction'>, log: readonly PlacedEvent[]): void {
  const failedBefore = new Set(failedChecks(effectiveLog(log).events).keys());
  const after = effectiveLog([...log, placedLast(correction)]).events;
  for (const [id, broken] of failedChecks(after)) {
    if (failedBefore.has(id)) continue;
    const corrected = after.find((h) => h.event.id === correction.refersTo)?.event;
    if (!corrected) return; // the corrected event is retracted: nothing of it counts
    const failing = after.find((h) => h.event.id === id)!.event;
    const blocker = id === corrected.id ? blockerOf(corrected, after) : failing;
    throw correctionConflict(correction, corrected, failing, blocker, broken, stateBefore(failing, after));
  }
}

/**
 * The events of an effective log that fail decide's checks at their place in it, with the Problem:
 * none in a log that every path to it checked (a property test holds every accepted log to it).
 */
export function failedChecks(events: readonly OrderedEvent[]): Map<string, Problem> {
  const byId = new Map<string, DiplomaticEvent>(events.map((h) => [h.event.id, h.event]));
  const fold = new TopicFold(events[0]?.event.topic ?? '', { tracking: false });
  const failed = new Map<string, Problem>();
  for (const { event, correctedBy, key } of events) {
    const broken = problemOf(() => checkAt(event, event.refersTo ? byId.get(event.refersTo) : undefined, fold.state));
    if (broken) failed.set(event.id, broken);
    fold.apply(event, correctedBy, key);
  }
  return failed;
}

function checkAt(event: DiplomaticEvent, target: DiplomaticEvent | undefined, state: TopicState): void {
  if (target && answersBeforeItBegan(event, target))
    throw Problem.field(
      'unprocessable',
      'occurred',
      `the ${event.type} (${occurredText(event.occurred)}${reportedBeforeItsEnd(event)}) would end before the ${target.type} ${target.id} it answers began (${occurredText(target.occurred)})`,
    );
  checkStanding(event, target, state);
}

/**
 * The event before `event` in the order after which it could no longer be recorded at its place: the
 * last one whose fold turned its check from passing to failing (its answer's target where none did).
 */
function blockerOf(event: DiplomaticEvent, events: readonly OrderedEvent[]): DiplomaticEvent | undefined {
  const byId = new Map<string, DiplomaticEvent>(events.map((h) => [h.event.id, h.event]));
  const target = event.refersTo ? byId.get(event.refersTo) : undefined;
  const fold = new TopicFold(event.topic, { tracking: false });
  const fails = () => problemOf(() => checkAt(event, target, fold.state)) !== undefined;
  let blocker = target;
  let failing = fails();
  for (const { event: earlier, correctedBy, key } of events) {
    if (earlier.id === event.id) break;
    fold.apply(earlier, correctedBy, key);
    const now = fails();
    if (now && !failing) blocker = earlier;
    failing = now;
  }
  return blocker;
}

/** The topic just before `event` in an effective log: what its check read there. */
function stateBefore(event: DiplomaticEvent, events: readonly OrderedEvent[]): TopicState {
  const fold = new TopicFold(event.topic, { tracking: false });
  for (const { event: earlier, correctedBy } of events) {
    if (earlier.id === event.id) break;
    fold.apply(earlier, correctedBy);
  }
  return fold.state;
}

/** The field of a correction that moves or changes what the rules read: its new date, payload or targets. */
function changedField(changes: CorrectionChanges): string {
  if (changes.occurred) return 'payload.changes.occurred';
  if (changes.payload) {
    const keys = Object.keys(changes.payload);
    return keys.length === 1 ? `payload.changes.payload.${keys[0]}` : 'payload.changes.payload';
  }
  return changes.targets ? 'payload.changes.targets' : 'payload.changes';
}

function correctionConflict(
  correction: DiplomaticEventOf<'correction'>,
  corrected: DiplomaticEvent,
  failing: DiplomaticEvent,
  blocker: DiplomaticEvent | undefined,
  broken: Problem,
  beforeFailing: TopicState,
): Problem {
  const why = problemText(broken);
  const named = (e: DiplomaticEvent) => `the ${e.type} ${e.id} (${occurredText(e.occurred)})`;
  const fromItsSide = failing.id === corrected.id ? undefined : breakingLater(corrected, failing, beforeFailing, why);
  const message = fromItsSide
    ? `corrected so, the ${corrected.type} ${corrected.id} ${fromItsSide}; retract or correct one of them`
    : failing.id === corrected.id
      ? `corrected so, ${named(corrected)} could not stand where it would fall in the topic's order` +
        `${blocker ? `, after ${named(blocker)}` : ''}: ${why}; retract or correct one of them`
      : `corrected so, ${named(corrected)} would come before ${named(failing)} in the topic's order, ` +
        `which could not have followed it: ${why}; retract or correct one of them`;
  return Problem.field('unprocessable', changedField(correction.payload.changes), message, {
    ...(blocker ? { conflictsWith: blocker.id } : {}),
  });
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

/** A Problem's own words, without the field it names. */
function problemText(problem: Problem): string {
  const [first] = (problem.details.errors ?? []) as FieldProblem[];
  return first?.problem ?? problem.message;
}

/**
 * A late report refused because a later event could not have followed it, said from the poster's
 * side (breakingLater) where it can be, on `occurred` (what puts it before the later event), naming
 * the later event in `conflictsWith`. `state`: the topic with the new event in place, before `later`.
 */
function conflict(event: DiplomaticEvent, later: DiplomaticEvent, broken: Problem, state: TopicState): Problem {
  const why = problemText(broken);
  const fromItsSide = breakingLater(event, later, state, why);
  return Problem.field(
    'unprocessable',
    'occurred',
    (fromItsSide
      ? `this ${event.type} ${fromItsSide}`
      : `this ${event.type} (${occurredText(event.occurred)}) would come before the ${later.type} ${later.id} ` +
        `(${occurredText(later.occurred)}) in the topic's order, which could not have followed it: ` +
        `${why}`) + '; retract or correct one of them',
    { conflictsWith: later.id },
  );
}
