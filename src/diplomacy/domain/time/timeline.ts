import type { CorrectionChanges, DiplomaticEvent, PlacedEvent, RecordedEvent } from '../events/events.js';
import { evidenceOf } from '../records/evolve.js';
import { TopicFold } from '../records/topic-fold.js';
import { answersItsReference, compareOrder, type OrderKey, orderKey, provenDays } from './order.js';
import {
  type Evidence,
  type EvidenceLookup,
  type EvidenceRef,
  evidenceRef,
  type TopicState,
} from '../records/topic-state.js';

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The order in which corrections of one event apply: by report time, then log position. */
const correctionOrder = (a: PlacedEvent, b: PlacedEvent) => cmp(a.reportedAt, b.reportedAt) || a.position - b.position;

/** An event that counts, as corrected, with its place in topic order; E: recorded, or only placed (DecisionFold). */
export interface EffectiveEvent<E extends PlacedEvent = RecordedEvent> {
  readonly event: E;
  readonly correctedBy?: string;
  readonly key: OrderKey;
}

/** A record withdrawn from the record by a retraction, as its author's position lists it. */
export interface RetractedRecord {
  readonly evidence: Evidence;
  readonly retraction: Evidence;
  readonly reason: string;
}

/**
 * A counted event that answers a record retracted since (a rejection of a demand recorded in
 * error, say): it still counts, and its author's position lists it with what it answered, so no
 * event of a party is forgotten when another party's record goes.
 */
export interface AnswerToRetracted {
  readonly evidence: Evidence;
  /** The retracted record it answered, and the retraction. */
  readonly answers: Evidence;
  readonly retraction: Evidence;
}

/** A retracted record as the log held it, corrected, with its retraction: what a replay shows of it. */
export interface RetractedEvent<E extends PlacedEvent = RecordedEvent> {
  readonly event: E;
  readonly correctedBy?: string;
  readonly retraction: E;
  /** As its author's position lists it. */
  readonly record: RetractedRecord;
}

export interface EffectiveLog<E extends PlacedEvent = RecordedEvent> {
  /** The events that count, corrected, in topic order. */
  readonly events: readonly EffectiveEvent<E>[];
  /** Records withdrawn from the record by a retraction counted at knownAt. */
  readonly retracted: readonly RetractedRecord[];
  /** The same records, each with its event as corrected and its retraction (in the same order). */
  readonly retractedEvents: readonly RetractedEvent<E>[];
  /** Events among `events` that answer one of `retracted`, each with the day it counts from. */
  readonly answersToRetracted: readonly (AnswerToRetracted & { readonly countsFrom: string })[];
  /**
   * Answers known at knownAt to a record that was not (it was reported later), or to such an
   * answer: not among `events`, since what they answer was not public and an answer folded
   * without it answers nothing; listed as possibly in effect (sideListsAt), never dropped.
   */
  readonly awaitingTarget: readonly { readonly event: E; readonly correctedBy?: string }[];
}

/**
 * The first day a retracted record shows in its author's position: the first day of its occurred
 * interval, when it would have been possibly in effect. Before that day it had not happened (as
 * the record told it), and an answer about an earlier day shows nothing from later.
 */
export const retractedShownFrom = (retracted: RetractedRecord): string => retracted.evidence.occurred.from;

/** A position's side lists: what it lists beside its elements (positions/position.view.ts). */
export interface SideLists {
  /**
   * Events involving the party that had begun by `at` but do not count yet: listed, not counted.
   * With them, from the day it began, an answer whose target was not known yet (awaitingTarget).
   */
  readonly possiblyInEffect: Evidence[];
  /** The party's retracted records that had begun by `at` (retractedShownFrom). */
  readonly retracted: RetractedRecord[];
  /** The party's events counted at `at` that answer a record retracted since. */
  readonly answersToRetracted: AnswerToRetracted[];
}

/** How many entries each side list holds (a reader that counts rows in SQL has no lists). */
export type SideListCounts = { readonly [list in keyof SideLists]: number };

/** How many entries each of these side lists holds. */
export const sideListCounts = (lists: SideLists): SideListCounts => ({
  possiblyInEffect: lists.possiblyInEffect.length,
  retracted: lists.retracted.length,
  answersToRetracted: lists.answersToRetracted.length,
});

/**
 * Whether a party has a position on a topic at a date: engaged by an event counted then, or with
 * anything in its side lists (an event possibly in effect, a record of its since retracted, an
 * answer to a retracted record). Such a position is never dropped, whatever path reads it: a
 * party whose only record was retracted had its whole position left out, its `retracted` list
 * with it (DESIGN section 4: nothing the party said is forgotten).
 */
export function hasPosition(engagedByACountedEvent: boolean, lists: SideListCounts): boolean {
  return engagedByACountedEvent || lists.possiblyInEffect + lists.retracted + lists.answersToRetracted > 0;
}

/**
 * P's side lists at `at` in an effective log (as known at its knownAt): what a position folded
 * from the log lists. The projection stores the same as versions (noteVersions); a property test
 * holds the two together at every date.
 */
export function sideListsAt(log: EffectiveLog, party: string, at: string): SideLists {
  return {
    possiblyInEffect: [
      ...log.events.filter((effective) => possiblyInEffectAt(effective, at) && involves(effective.event, party)),
      ...log.awaitingTarget.filter(({ event }) => event.occurred.from <= at && involves(event, party)),
    ].map(({ event, correctedBy }) => evidenceOf(event, correctedBy)),
    retracted: log.retracted.filter((r) => r.evidence.actor === party && retractedShownFrom(r) <= at),
    answersToRetracted: log.answersToRetracted
      .filter((a) => a.evidence.actor === party && a.countsFrom <= at)
      .map(({ countsFrom: _countsFrom, ...answer }) => answer),
  };
}

const involves = (event: PlacedEvent, party: string) => event.actor === party || event.targets.includes(party);

/**
 * What the record said at `knownAt` (all of it when absent): only events reported by then,
 * each corrected by the corrections reported by then, without the retracted ones.
 * A correction or retraction counts from its own reportedAt. An answer to a record among
 * `events` but not reported by knownAt waits (awaitingTarget), as do answers to it.
 */
export function effectiveLog<E extends PlacedEvent>(events: readonly E[], knownAt?: string): EffectiveLog<E> {
  const known = knownAt ? events.filter((e) => e.reportedAt <= knownAt) : events;
  const byPosition = [...known].sort((a, b) => a.position - b.position);
  const corrected = new Map<string, { event: E; correctedBy?: string }>();
  const retractions = new Map<string, E>();
  for (const event of byPosition) {
    // Corrections apply below; a report adds a source to its event and folds into nothing.
    if (event.type === 'correction' || event.type === 'report') continue;
    if (event.type === 'retraction') retractions.set(event.refersTo!, event);
    else corrected.set(event.id, { event });
  }
  // A later-reported correction supersedes an earlier one, whatever order they were recorded in.
  const corrections = byPosition.filter((e) => e.type === 'correction').sort(correctionOrder);
  for (const event of corrections) {
    if (event.type !== 'correction') continue;
    const target = corrected.get(event.refersTo!);
    if (target) {
      corrected.set(target.event.id, {
        event: applyCorrection(target.event, event.payload.changes),
        correctedBy: event.id,
      });
    }
  }
  const retractedEvents = [...retractions.entries()]
    .filter(([id]) => corrected.has(id))
    .map(([id, retraction]): RetractedEvent<E> => {
      const { event, correctedBy } = corrected.get(id)!;
      return {
        event,
        ...(correctedBy ? { correctedBy } : {}),
        retraction,
        record: {
          evidence: evidenceOf(event, correctedBy),
          retraction: evidenceOf(retraction),
          reason: retraction.type === 'retraction' ? retraction.payload.reason : '',
        },
      };
    });
  const retracted = retractedEvents.map((r) => r.record);
  for (const id of retractions.keys()) corrected.delete(id);
  // What was not public at knownAt cannot be answered then: an answer to it waits, and so does an
  // answer to a waiting answer. Only a target in `events` is known to be unknown (a caller may
  // pass an answer without its target). In log order, as a target is recorded before its answers.
  const unknown = new Set(knownAt ? events.filter((e) => e.reportedAt > knownAt).map((e) => e.id) : []);
  const awaitingTarget: { event: E; correctedBy?: string }[] = [];
  for (const entry of corrected.values()) {
    if (!answersItsReference(entry.event) || !unknown.has(entry.event.refersTo!)) continue;
    unknown.add(entry.event.id);
    awaitingTarget.push(entry);
    corrected.delete(entry.event.id);
  }
  // What the counted answers prove of what they answer, as they stand here (corrected, none
  // retracted, none reported after knownAt): an event counts from the earliest of those days.
  const proven = provenDays([...corrected.values()].map(({ event }) => event));
  // In log order, what an event answers is keyed before it (it was recorded first).
  const keys = new Map<string, OrderKey>();
  const keyed = [...corrected.values()].map(({ event, correctedBy }) => {
    const key = orderKey(event, event.refersTo ? keys.get(event.refersTo) : undefined, proven.get(event.id));
    keys.set(event.id, key);
    return { event, ...(correctedBy ? { correctedBy } : {}), key };
  });
  const retractedById = new Map(retracted.map((r) => [r.evidence.eventId, r]));
  const answersToRetracted = keyed.flatMap(({ event, correctedBy, key }) => {
    const answered = event.refersTo === undefined ? undefined : retractedById.get(event.refersTo);
    return answered
      ? [
          {
            evidence: evidenceOf(event, correctedBy),
            answers: answered.evidence,
            retraction: answered.retraction,
            countsFrom: key.countsFrom,
          },
        ]
      : [];
  });
  return {
    events: keyed.sort((a, b) => compareOrder(a.key, b.key)),
    retracted,
    retractedEvents,
    answersToRetracted,
    awaitingTarget,
  };
}

/**
 * The evidence that folds of these effective events reference (see EvidenceRef). Each is
 * built once, when first asked for.
 */
export function evidenceIn(events: readonly EffectiveEvent<PlacedEvent>[]): EvidenceLookup {
  const byRef = new Map(events.map((e) => [evidenceRef(e.event.id, e.correctedBy), e]));
  const built = new Map<string, Evidence>();
  return (ref) => {
    let evidence = built.get(ref);
    if (!evidence) {
      const effective = byRef.get(ref);
      if (!effective) throw new Error(`no counted event is evidence ${ref}`);
      built.set(ref, (evidence = evidenceOf(effective.event, effective.correctedBy)));
    }
    return evidence;
  };
}

/** The corrected form of an event, as a correction's changes describe it (a recorded event stays one). */
export function applyCorrection<E extends DiplomaticEvent>(event: E, changes: CorrectionChanges): E {
  return {
    ...event,
    ...(changes.occurred ? { occurred: changes.occurred } : {}),
    ...(changes.speaker ? { speaker: changes.speaker } : {}),
    ...(changes.targets ? { targets: changes.targets } : {}),
    ...(changes.quote ? { quote: changes.quote } : {}),
    ...(changes.summary ? { summary: changes.summary } : {}),
    ...(changes.payload ? { payload: { ...event.payload, ...changes.payload } } : {}),
  };
}

/**
 * An event as its corrections describe it: all of them applied in the order effectiveLog applies
 * them (report time, then log position). What decide checks an answer against: the event it
 * answers as corrected (a signing re-dated, a co-signer corrected), not as first recorded.
 * `corrections` may hold other events: only this event's corrections apply.
 */
export function asCorrected<E extends DiplomaticEvent>(event: E, corrections: readonly PlacedEvent[]): E {
  let corrected = event;
  for (const correction of [...corrections].sort(correctionOrder))
    if (correction.type === 'correction' && correction.refersTo === event.id)
      corrected = applyCorrection(corrected, correction.payload.changes);
  return corrected;
}

/**
 * An event as the record described it once `correctionId` counted: the event's corrections
 * applied in the order effectiveLog applies them (report time, then log position), up to and
 * including that one. `corrections` are all of the event's corrections, in any order.
 */
export function correctedUpTo<E extends PlacedEvent>(
  event: E,
  corrections: readonly PlacedEvent[],
  correctionId: string,
): E {
  const ordered = [...corrections].sort(correctionOrder);
  let corrected = event;
  for (const correction of ordered) {
    if (correction.type !== 'correction' || correction.refersTo !== event.id) continue;
    corrected = applyCorrection(corrected, correction.payload.changes);
    if (correction.id === correctionId) return corrected;
  }
  throw new Error(`correction ${correctionId} of event ${event.id} not found`);
}

/**
 * The evidence of records that corrections changed, under their references `${eventId}+${correctionId}`:
 * each target as corrected up to each of its corrections, in the order effectiveLog applies them
 * (a correction reported earlier than one already recorded changes what the later one's reference
 * shows). `events` must hold the targets, whole, and all their corrections. An event's own
 * evidence is rendered from the stored event (evidence_card); only corrected ones need the domain.
 */
export function correctedEvidence(
  events: readonly PlacedEvent[],
  targets: ReadonlySet<string>,
): Map<EvidenceRef, Evidence> {
  const cards = new Map<EvidenceRef, Evidence>();
  if (targets.size === 0) return cards;
  const byId = new Map(events.map((e) => [e.id, e]));
  const corrections = events.filter((e) => e.type === 'correction' && targets.has(e.refersTo!));
  for (const correction of corrections) {
    const target = byId.get(correction.refersTo!);
    if (target)
      cards.set(
        evidenceRef(target.id, correction.id),
        evidenceOf(correctedUpTo(target, corrections, correction.id), correction.id),
      );
  }
  return cards;
}

/** The records these events correct. */
export function correctedBy(events: readonly PlacedEvent[]): Set<string> {
  return new Set(events.filter((e) => e.type === 'correction').map((e) => e.refersTo!));
}

/**
 * The first day on which two effective logs of a topic differ: rows of the projection that
 * ended before it are the same for both. 'infinity' when they do not differ.
 */
export function firstDifferentDay(
  before: readonly EffectiveEvent<PlacedEvent>[],
  after: readonly EffectiveEvent<PlacedEvent>[],
): string {
  const same = (a: EffectiveEvent<PlacedEvent>, b: EffectiveEvent<PlacedEvent>) =>
    a.event.id === b.event.id && a.correctedBy === b.correctedBy && compareOrder(a.key, b.key) === 0;
  for (let i = 0; i < Math.max(before.length, after.length); i++) {
    const [a, b] = [before[i], after[i]];
    if (a && b && same(a, b)) continue;
    const days = [a?.key.countsFrom, b?.key.countsFrom].filter((d): d is string => d !== undefined);
    return days.sort()[0];
  }
  return 'infinity';
}

/** Counted at `at` (a day): it (and what it answers) had happened by then: its interval ended, or it was reported (placeOf). */
export function countsAt(event: EffectiveEvent<PlacedEvent>, at: string): boolean {
  return event.key.countsFrom <= at;
}

/** Not counted, not dropped: it started but does not count yet, so it may already have happened. */
export function possiblyInEffectAt(event: EffectiveEvent<PlacedEvent>, at: string): boolean {
  return event.event.occurred.from <= at && at < event.key.countsFrom;
}

/** Item titles by slug, as the events had given them on a day. */
export type TitlesOnDay = Readonly<Record<string, { readonly title: string }>>;

/**
 * The topic folded at `at`, as foldTopic folds it, and its items' titles as they stood at the end
 * of the day each counted event counts from (`titlesWhen`, by event id): an answer that reports
 * what an event did names its item as the events had called it on that day, never by a title
 * given later (DESIGN section 4: nothing from after the date). One pass: a copy of the titles
 * per day an event counts from.
 */
export function foldTopicWithTitles(
  topic: string,
  events: readonly EffectiveEvent<PlacedEvent>[],
  at: string,
): { state: TopicState; titlesWhen: (eventId: string) => TitlesOnDay } {
  const fold = new TopicFold(topic, { tracking: false });
  const dayOf = new Map<string, string>();
  const onDay = new Map<string, TitlesOnDay>();
  const titlesNow = (): TitlesOnDay =>
    Object.fromEntries(Object.values(fold.state.items).map((item) => [item.slug, { title: item.title }]));
  let day: string | undefined;
  for (const effective of events) {
    if (!countsAt(effective, at)) break; // topic order: the rest count later
    // Events are in topic order, by the day they count from first: a new day closes the one before.
    if (day !== undefined && effective.key.countsFrom !== day) onDay.set(day, titlesNow());
    day = effective.key.countsFrom;
    dayOf.set(effective.event.id, day);
    fold.apply(effective.event, effective.correctedBy, effective.key);
  }
  const last = titlesNow();
  if (day !== undefined) onDay.set(day, last);
  return { state: fold.state, titlesWhen: (eventId) => onDay.get(dayOf.get(eventId) ?? '') ?? last };
}

export function foldTopic(topic: string, events: readonly EffectiveEvent<PlacedEvent>[], at?: string): TopicState {
  const fold = new TopicFold(topic, { tracking: false });
  for (const effective of events) {
    if (at !== undefined && !countsAt(effective, at)) break; // topic order: the rest count later
    fold.apply(effective.event, effective.correctedBy, effective.key);
  }
  return fold.state;
}
