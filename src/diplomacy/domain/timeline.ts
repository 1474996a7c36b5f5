import { applyCorrection } from './decide.js';
import type { DiplomaticEvent, RecordedEvent } from './events.js';
import { evidenceOf } from './evolve.js';
import {
  type ElementBody,
  type ElementChange,
  type ElementId,
  elementId,
  sameBody,
  splitElementId,
} from './position.js';
import { TopicFold } from './topic-fold.js';
import { type Evidence, type EvidenceLookup, type EvidenceRef, evidenceRef, type TopicState } from './topic-state.js';

/** Types that answer another event: they can only take effect once it has. */
const ANSWERS = new Set<string>(['rejection', 'withdrawal', 'agreement', 'concession']);

/**
 * Where an event stands in its topic's order (docs/architecture.md, "Order inside a topic"):
 * the day from which it counts, then (on the same day) events before the answers to them, then
 * the start of the occurred interval, the report, and the global position. An event counts from
 * the day its interval ends, which makes "every event counted at date X" a prefix of this order,
 * so the state at X is one fold of a prefix. An answer counts from the later of its own end and
 * its target's, so a rejection dated inside the proposal's interval never folds before the proposal.
 */
export interface OrderKey {
  readonly countsFrom: string;
  readonly answer: boolean;
  readonly from: string;
  readonly reportedAt: string;
  readonly position: number;
}

/** `targetTo`: the end of the occurred interval of the event this one answers, if any. */
export function orderKey(event: RecordedEvent, targetTo?: string): OrderKey {
  const answer = ANSWERS.has(event.type) && event.refersTo !== undefined;
  const countsFrom = answer && targetTo && targetTo > event.occurred.to ? targetTo : event.occurred.to;
  return { countsFrom, answer, from: event.occurred.from, reportedAt: event.reportedAt, position: event.position };
}

export function compareOrder(a: OrderKey, b: OrderKey): number {
  return (
    cmp(a.countsFrom, b.countsFrom) ||
    Number(a.answer) - Number(b.answer) ||
    cmp(a.from, b.from) ||
    cmp(a.reportedAt, b.reportedAt) ||
    a.position - b.position
  );
}

/** The end of the interval of what an event answers, as the folded state knows it. */
export function answeredEventEnd(state: TopicState, event: DiplomaticEvent): string | undefined {
  if (!event.refersTo) return undefined;
  const target = state.proposals[event.refersTo] ?? state.demands[event.refersTo] ?? state.threats[event.refersTo];
  return target?.occurredTo;
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The order in which corrections of one event apply: by report time, then log position. */
const correctionOrder = (a: RecordedEvent, b: RecordedEvent) =>
  cmp(a.reportedAt, b.reportedAt) || a.position - b.position;

export interface EffectiveEvent {
  readonly event: RecordedEvent;
  readonly correctedBy?: string;
  readonly key: OrderKey;
}

export interface EffectiveLog {
  /** The events that count, corrected, in topic order. */
  readonly events: readonly EffectiveEvent[];
  /** Records withdrawn from the record by a retraction counted at knownAt. */
  readonly retracted: readonly {
    readonly evidence: Evidence;
    readonly retraction: Evidence;
    readonly reason: string;
  }[];
}

/**
 * What the record said at `knownAt` (all of it when absent): only events reported by then,
 * each corrected by the corrections reported by then, without the retracted ones.
 * A correction or retraction counts from its own reportedAt.
 */
export function effectiveLog(events: readonly RecordedEvent[], knownAt?: string): EffectiveLog {
  const known = knownAt ? events.filter((e) => e.reportedAt <= knownAt) : events;
  const byPosition = [...known].sort((a, b) => a.position - b.position);
  const corrected = new Map<string, { event: RecordedEvent; correctedBy?: string }>();
  const retractions = new Map<string, RecordedEvent>();
  for (const event of byPosition) {
    if (event.type === 'correction') continue;
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
        event: applyCorrection(target.event, event.payload.changes) as RecordedEvent,
        correctedBy: event.id,
      });
    }
  }
  const retracted = [...retractions.entries()]
    .filter(([id]) => corrected.has(id))
    .map(([id, retraction]) => ({
      evidence: evidenceOf(corrected.get(id)!.event, corrected.get(id)!.correctedBy),
      retraction: evidenceOf(retraction),
      reason: retraction.type === 'retraction' ? retraction.payload.reason : '',
    }));
  for (const id of retractions.keys()) corrected.delete(id);
  const keyed = [...corrected.values()].map(({ event, correctedBy }) => ({
    event,
    ...(correctedBy ? { correctedBy } : {}),
    key: orderKey(event, event.refersTo ? corrected.get(event.refersTo)?.event.occurred.to : undefined),
  }));
  return { events: keyed.sort((a, b) => compareOrder(a.key, b.key)), retracted };
}

/**
 * The evidence that folds of these effective events reference (see EvidenceRef). Each is
 * built once, when first asked for.
 */
export function evidenceIn(events: readonly EffectiveEvent[]): EvidenceLookup {
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

/**
 * An event as the record described it once `correctionId` counted: the event's corrections
 * applied in the order effectiveLog applies them (report time, then log position), up to and
 * including that one. `corrections` are all of the event's corrections, in any order.
 */
export function correctedUpTo(
  event: RecordedEvent,
  corrections: readonly RecordedEvent[],
  correctionId: string,
): RecordedEvent {
  const ordered = [...corrections].sort(correctionOrder);
  let corrected = event;
  for (const correction of ordered) {
    if (correction.type !== 'correction' || correction.refersTo !== event.id) continue;
    corrected = applyCorrection(corrected, correction.payload.changes) as RecordedEvent;
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
  events: readonly RecordedEvent[],
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
export function correctedBy(events: readonly RecordedEvent[]): Set<string> {
  return new Set(events.filter((e) => e.type === 'correction').map((e) => e.refersTo!));
}

/**
 * The first day on which two effective logs of a topic differ: rows of the projection that
 * ended before it are the same for both. 'infinity' when they do not differ.
 */
export function firstDifferentDay(before: readonly EffectiveEvent[], after: readonly EffectiveEvent[]): string {
  const same = (a: EffectiveEvent, b: EffectiveEvent) =>
    a.event.id === b.event.id && a.correctedBy === b.correctedBy && compareOrder(a.key, b.key) === 0;
  for (let i = 0; i < Math.max(before.length, after.length); i++) {
    const [a, b] = [before[i], after[i]];
    if (a && b && same(a, b)) continue;
    const days = [a?.key.countsFrom, b?.key.countsFrom].filter((d): d is string => d !== undefined);
    return days.sort()[0];
  }
  return 'infinity';
}

/** Counted at `at` (a day): its whole occurred interval (and that of what it answers) ended on or before it. */
export function countsAt(event: EffectiveEvent, at: string): boolean {
  return event.key.countsFrom <= at;
}

/** Not counted, not dropped: it started but does not count yet, so it may already have happened. */
export function possiblyInEffectAt(event: EffectiveEvent, at: string): boolean {
  return event.event.occurred.from <= at && at < event.key.countsFrom;
}

export function foldTopic(topic: string, events: readonly EffectiveEvent[], at?: string): TopicState {
  const fold = new TopicFold(topic, { tracking: false });
  for (const effective of events) {
    if (at !== undefined && !countsAt(effective, at)) break; // topic order: the rest count later
    fold.apply(effective.event, effective.correctedBy);
  }
  return fold.state;
}

// ---- The temporal projection: position elements, each valid over a range of days -------------

/** An element as it stood from validFrom (inclusive) to validTo (exclusive, null: still). */
export interface ElementVersion {
  readonly party: string;
  readonly key: string;
  readonly validFrom: string;
  readonly validTo: string | null;
  readonly body: ElementBody;
}

const same = sameBody;

/**
 * Folds a whole topic (effective events in topic order) into element versions: after the last
 * event of each day, the elements that changed that day close the old version and open a new one.
 */
export function elementTimeline(
  topic: string,
  events: readonly EffectiveEvent[],
): { state: TopicState; fold: TopicFold; versions: ElementVersion[] } {
  const fold = new TopicFold(topic);
  const open = new Map<ElementId, { party: string; key: string; validFrom: string; body: ElementBody }>();
  const versions: ElementVersion[] = [];
  events.forEach(({ event, correctedBy, key }, i) => {
    fold.apply(event, correctedBy);
    const day = key.countsFrom;
    if (events[i + 1]?.key.countsFrom === day) return;
    // Changes since the day began: an element's open version is how it began the day, so each one differs from it.
    for (const [id, { after: body }] of fold.takeChanges()) {
      const was = open.get(id);
      const [party, key] = was ? [was.party, was.key] : splitElementId(id);
      if (was) versions.push({ party, key, validFrom: was.validFrom, validTo: day, body: was.body });
      if (body) open.set(id, { party, key, validFrom: day, body });
      else open.delete(id);
    }
  });
  for (const { party, key, validFrom, body } of open.values())
    versions.push({ party, key, validFrom, validTo: null, body });
  return { state: fold.state, fold, versions };
}

/** Stored like elements, but not parts of the position itself: read back into its side lists. */
export const POSSIBLY_IN_EFFECT = 'possibly:';
export const RETRACTED = 'retracted:';
/** The day before every date: a retracted record is listed whatever the date asked. */
export const BEFORE_ALL_DAYS = '-infinity';

/**
 * The side lists of a position as versions (evidence by reference, like elements), so one
 * indexed read answers a position: each event that is possibly in effect (started, not counted
 * yet), for every party it involves, over the days from its start to the day it counts; and
 * each retracted record, for its actor, always.
 */
export function noteVersions(log: EffectiveLog): ElementVersion[] {
  const versions: ElementVersion[] = [];
  for (const effective of log.events) {
    const { event, correctedBy, key } = effective;
    if (event.occurred.from >= key.countsFrom) continue;
    const body = evidenceRef(event.id, correctedBy);
    for (const party of new Set([event.actor, ...event.targets])) {
      versions.push({
        party,
        key: `${POSSIBLY_IN_EFFECT}${event.id}`,
        validFrom: event.occurred.from,
        validTo: key.countsFrom,
        body,
      });
    }
  }
  for (const { evidence, retraction, reason } of log.retracted) {
    const body = {
      evidence: evidenceRef(evidence.eventId, evidence.correctedBy),
      retraction: evidenceRef(retraction.eventId),
      reason,
    };
    versions.push({
      party: evidence.actor,
      key: `${RETRACTED}${evidence.eventId}`,
      validFrom: BEFORE_ALL_DAYS,
      validTo: null,
      body,
    });
  }
  return versions;
}

/** An element's body just before and just after some events (null: not part of any position). */
/**
 * What events at the end of a topic's order, all counted from `day`, do to the stored versions.
 * Each change names its row by what is unique about it: the open version (`close`, `rewrite`,
 * `drop`) or the version closed on `day` (`reopen`); `open` adds a row. One element's changes
 * never name the same row twice, so they can all be written in one statement.
 */
export type RowChange =
  | { readonly kind: 'close' | 'drop' | 'reopen'; readonly party: string; readonly key: string; readonly day: string }
  | {
      readonly kind: 'open' | 'rewrite';
      readonly party: string;
      readonly key: string;
      readonly day: string;
      readonly body: ElementBody;
    };

/**
 * Where the stored versions of a topic stand at the end of its order: the day of its last event,
 * and the elements that changed on that day with the body each had when the day began. That is
 * all the incremental projection needs to know: versions that opened before that day can only
 * be closed, so it never reads stored rows back. A writer keeps one beside its TopicFold and,
 * like the fold, it changes in place.
 */
export class DayLedger {
  private constructor(
    private lastDay: string,
    private readonly startOf: Map<ElementId, ElementBody | null>,
  ) {}

  static empty(): DayLedger {
    return new DayLedger('', new Map());
  }

  /** Where a topic whose versions are these stands, `day` being the day of its last event. */
  static of(versions: readonly ElementVersion[], day: string): DayLedger {
    const startOf = new Map<ElementId, ElementBody | null>();
    for (const v of versions)
      if (v.validFrom === day && !startOf.has(elementId(v.party, v.key))) startOf.set(elementId(v.party, v.key), null);
    for (const v of versions) if (v.validTo === day) startOf.set(elementId(v.party, v.key), v.body);
    return new DayLedger(day, startOf);
  }

  get day(): string {
    return this.lastDay;
  }

  /** The elements that changed on the last day, with their body when it began (null: not there). */
  get changedOnDay(): ReadonlyMap<ElementId, ElementBody | null> {
    return this.startOf;
  }

  /**
   * The incremental form of elementTimeline: the row changes that leave what a full rebuild
   * would, after events at the end of the topic's order, all counted from `day` (not before the
   * ledger's day), changed the elements as `changes` says. The ledger moves to `day`.
   */
  advance(day: string, changes: ReadonlyMap<ElementId, ElementChange>): RowChange[] {
    if (day < this.lastDay) throw new Error(`a DayLedger goes forward only: ${day} is before ${this.lastDay}`);
    if (day !== this.lastDay) this.startOf.clear();
    this.lastDay = day;
    const rows: RowChange[] = [];
    for (const [id, { before, after }] of changes) {
      if (same(before, after)) continue;
      const [party, key] = splitElementId(id);
      const row = (kind: 'close' | 'drop' | 'reopen') => rows.push({ kind, party, key, day });
      const withBody = (kind: 'open' | 'rewrite', body: ElementBody) => rows.push({ kind, party, key, day, body });
      const start = this.startOf.has(id) ? this.startOf.get(id)! : before;
      this.startOf.set(id, start);
      if (same(after, start)) {
        // Back to how it began the day: today's version goes, yesterday's holds again.
        if (before !== null) row('drop');
        if (start !== null) row('reopen');
      } else if (same(before, start)) {
        // Its first change today: the version that began earlier ends today.
        if (start !== null) row('close');
        if (after !== null) withBody('open', after);
      } else if (before !== null && after !== null) {
        withBody('rewrite', after);
      } else if (before !== null) {
        row('drop');
      } else {
        withBody('open', after!);
      }
    }
    return rows;
  }
}
