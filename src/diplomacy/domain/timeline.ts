import { applyCorrection } from './decide.js';
import type { DiplomaticEvent, RecordedEvent } from './events.js';
import { evidenceOf, evolve } from './evolve.js';
import { changedElements, type ElementBody, type ElementId, elementId, splitElementId } from './position.js';
import { emptyTopicState, type Evidence, type TopicState } from './topic-state.js';

/**
 * Time in the projection (DESIGN section 4). Events fold in topic order: the day the
 * occurred interval ends, then its start, then reportedAt, then global position. Ordering by
 * the END of the interval makes "every event counted at date X" (those whose whole interval
 * ends on or before X) a prefix of that order, so the state at X is one fold of a prefix.
 */
export function compareTopicOrder(a: RecordedEvent, b: RecordedEvent): number {
  return (
    cmp(a.occurred.to, b.occurred.to) ||
    cmp(a.occurred.from, b.occurred.from) ||
    cmp(a.reportedAt, b.reportedAt) ||
    a.position - b.position
  );
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export interface EffectiveEvent {
  readonly event: RecordedEvent;
  readonly correctedBy?: string;
}

export interface EffectiveLog {
  /** The events that count, corrected, in topic order. */
  readonly events: readonly EffectiveEvent[];
  /** Records withdrawn from the record by a retraction counted at knownAt. */
  readonly retracted: readonly { readonly evidence: Evidence; readonly retraction: Evidence; readonly reason: string }[];
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
  const corrections = byPosition.filter((e) => e.type === 'correction').sort((a, b) => cmp(a.reportedAt, b.reportedAt) || a.position - b.position);
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
  return {
    events: [...corrected.values()].sort((a, b) => compareTopicOrder(a.event, b.event)),
    retracted,
  };
}

/** Counted at `at` (a day): the whole occurred interval ends on or before it. */
export function countsAt(event: DiplomaticEvent, at: string): boolean {
  return event.occurred.to <= at;
}

/** Not counted, not dropped: the interval contains `at`, so it may already have happened. */
export function possiblyInEffectAt(event: DiplomaticEvent, at: string): boolean {
  return event.occurred.from <= at && at < event.occurred.to;
}

export function foldTopic(topic: string, events: readonly EffectiveEvent[], at?: string): TopicState {
  let state = emptyTopicState(topic);
  for (const { event, correctedBy } of events) {
    if (at !== undefined && !countsAt(event, at)) break; // topic order: the rest end later
    state = evolve(state, event, correctedBy);
  }
  return state;
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

/** Key order does not count: stored versions come back from JSONB with their keys reordered. */
const canonical = (body: unknown) => JSON.stringify(body, (_key, v) => (v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) : v));
const same = (a: ElementBody, b: ElementBody) => a === b || canonical(a) === canonical(b);

/**
 * Folds a whole topic (effective events in topic order) into element versions: after the last
 * event of each day, the elements that changed that day close the old version and open a new one.
 */
export function elementTimeline(topic: string, events: readonly EffectiveEvent[]): { state: TopicState; versions: ElementVersion[] } {
  let state = emptyTopicState(topic);
  let dayStart = state;
  const open = new Map<ElementId, { validFrom: string; body: ElementBody }>();
  const versions: ElementVersion[] = [];
  events.forEach(({ event, correctedBy }, i) => {
    state = evolve(state, event, correctedBy);
    const day = event.occurred.to;
    if (events[i + 1]?.event.occurred.to === day) return;
    for (const [id, body] of changedElements(dayStart, state)) {
      const was = open.get(id);
      if (was && body && same(was.body, body)) continue;
      const [party, key] = splitElementId(id);
      if (was) versions.push({ party, key, validFrom: was.validFrom, validTo: day, body: was.body });
      if (body) open.set(id, { validFrom: day, body });
      else open.delete(id);
    }
    dayStart = state;
  });
  for (const [id, was] of open) {
    const [party, key] = splitElementId(id);
    versions.push({ party, key, validFrom: was.validFrom, validTo: null, body: was.body });
  }
  return { state, versions };
}

export interface ElementChanges {
  readonly inserts: ElementVersion[];
  /** Versions (by party, key, validFrom) whose validTo or body changes. */
  readonly updates: ElementVersion[];
  readonly deletes: { party: string; key: string; validFrom: string }[];
}

/**
 * The incremental form of elementTimeline, for events appended at the end of topic order on
 * `day`: given the changed elements (null: gone), the versions of those elements still open and
 * those closed exactly on `day`, returns the row changes that leave what a full rebuild would.
 */
export function advanceElements(
  day: string,
  openVersions: readonly ElementVersion[],
  closedOnDay: readonly ElementVersion[],
  changes: ReadonlyMap<ElementId, ElementBody | null>,
): ElementChanges {
  const result: ElementChanges = { inserts: [], updates: [], deletes: [] };
  const open = new Map(openVersions.map((v) => [elementId(v.party, v.key), v]));
  const closed = new Map(closedOnDay.map((v) => [elementId(v.party, v.key), v]));
  for (const [id, body] of changes) {
    const current = open.get(id);
    const previous = closed.get(id);
    const [party, key] = splitElementId(id);
    if (current && body && same(current.body, body)) continue;
    if (current && current.validFrom === day) {
      // Opened earlier today: today's value is not history yet.
      result.deletes.push({ party, key, validFrom: day });
      if (body && previous && same(previous.body, body)) result.updates.push({ ...previous, validTo: null });
      else if (body) result.inserts.push({ party, key, validFrom: day, validTo: null, body });
      continue;
    }
    if (current) result.updates.push({ ...current, validTo: day });
    if (!body) continue;
    if (!current && previous && same(previous.body, body)) result.updates.push({ ...previous, validTo: null });
    else result.inserts.push({ party, key, validFrom: day, validTo: null, body });
  }
  return result;
}
