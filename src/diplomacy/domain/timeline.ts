import { applyCorrection } from './decide.js';
import type { DiplomaticEvent, RecordedEvent } from './events.js';
import { evidenceOf, evolve } from './evolve.js';
import { type CatalogItem, itemOrder, type PositionCore, positionOf, sortByEvidence } from './position.js';
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
  for (const event of byPosition) {
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

/** One piece of a party's position (an open proposal, a demand, the stance on an item...). */
export type ElementBody = object;

/** An element as it stood from validFrom (inclusive) to validTo (exclusive, null: still). */
export interface ElementVersion {
  readonly party: string;
  readonly key: string;
  readonly validFrom: string;
  readonly validTo: string | null;
  readonly body: ElementBody;
}

type ListName = 'openProposals' | 'responses' | 'activeDemands' | 'demandsOnParty' | 'concessions' | 'activeThreats' | 'acts';
const LISTS: readonly [ListName, string, (e: Record<string, unknown>) => string][] = [
  ['openProposals', 'proposal', (e) => e.eventId as string],
  ['responses', 'response', (e) => e.to as string],
  ['activeDemands', 'demand', (e) => e.eventId as string],
  ['demandsOnParty', 'demand-on', (e) => e.eventId as string],
  ['concessions', 'concession', (e) => e.eventId as string],
  ['activeThreats', 'threat', (e) => e.eventId as string],
  ['acts', 'act', (e) => e.eventId as string],
];

/** A position cut into keyed elements; the known item stances, not the "unknown" ones. */
export function positionElements(position: PositionCore): Map<string, ElementBody> {
  const elements = new Map<string, ElementBody>();
  for (const item of position.items) if (item.stance !== 'unknown') elements.set(`item:${item.item}`, item);
  if (position.topicStance) elements.set('topic-stance', position.topicStance);
  for (const [list, prefix, id] of LISTS) {
    for (const element of position[list]) elements.set(`${prefix}:${id(element as unknown as Record<string, unknown>)}`, element);
  }
  if (position.lastChange) elements.set('last-change', position.lastChange);
  return elements;
}

/** Puts a position back together from its elements (the fast read path). */
export function elementsToPosition(
  party: string,
  topic: string,
  elements: ReadonlyMap<string, ElementBody>,
  catalogItems: readonly CatalogItem[],
): Omit<PositionCore, 'stance'> {
  const byPrefix = (prefix: string) =>
    [...elements.entries()].filter(([key]) => key.startsWith(`${prefix}:`)).map(([, body]) => body);
  const knownItems = new Map(byPrefix('item').map((body) => [(body as { item: string }).item, body]));
  const items = itemOrder(catalogItems, [...knownItems.keys()]).map(
    (slug) => knownItems.get(slug) ?? { item: slug, title: catalogItems.find((i) => i.slug === slug)?.title ?? slug, stance: 'unknown' },
  );
  const lists = Object.fromEntries(LISTS.map(([list, prefix]) => [list, sortByEvidence(byPrefix(prefix))]));
  const topicStance = elements.get('topic-stance');
  return {
    party,
    topic,
    ...(topicStance ? { topicStance } : {}),
    items,
    ...lists,
    lastChange: (elements.get('last-change') as Evidence | undefined) ?? null,
  } as unknown as Omit<PositionCore, 'stance'>;
}

function allElements(state: TopicState, catalogItems: readonly CatalogItem[]): Map<string, ElementBody> {
  const all = new Map<string, ElementBody>();
  for (const party of state.parties) {
    for (const [key, body] of positionElements(positionOf(state, party, catalogItems))) all.set(`${party}\u0000${key}`, body);
  }
  return all;
}

/** Key order does not matter: versions read back from JSONB come with their keys reordered. */
const canonical = (body: unknown) => JSON.stringify(body, (_key, v) => (v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) : v));
const same = (a: ElementBody, b: ElementBody) => canonical(a) === canonical(b);

/**
 * Folds a whole topic (effective events in topic order) into element versions: after the last
 * event of each day, every party's elements are compared with the day before.
 */
export function elementTimeline(
  topic: string,
  events: readonly EffectiveEvent[],
  catalogItems: readonly CatalogItem[],
): { state: TopicState; versions: ElementVersion[] } {
  let state = emptyTopicState(topic);
  const open = new Map<string, { validFrom: string; body: ElementBody }>();
  const versions: ElementVersion[] = [];
  const closeDay = (day: string) => {
    const now = allElements(state, catalogItems);
    for (const [id, was] of open) {
      const body = now.get(id);
      if (body && same(body, was.body)) continue;
      const [party, key] = id.split('\u0000');
      versions.push({ party, key, validFrom: was.validFrom, validTo: day, body: was.body });
      open.delete(id);
    }
    for (const [id, body] of now) if (!open.has(id)) open.set(id, { validFrom: day, body });
  };
  events.forEach(({ event, correctedBy }, i) => {
    state = evolve(state, event, correctedBy);
    const next = events[i + 1];
    if (!next || next.event.occurred.to !== event.occurred.to) closeDay(event.occurred.to);
  });
  for (const [id, was] of open) {
    const [party, key] = id.split('\u0000');
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
 * The incremental form of elementTimeline, for an event appended at the end of topic order on
 * `day`: given the versions still open and those closed exactly on `day`, and the elements after
 * the event, returns the row changes that leave the same versions a full rebuild would.
 */
export function advanceElements(
  day: string,
  openVersions: readonly ElementVersion[],
  closedOnDay: readonly ElementVersion[],
  now: ReadonlyMap<string, ElementBody>,
): ElementChanges {
  const changes: ElementChanges = { inserts: [], updates: [], deletes: [] };
  const id = (v: { party: string; key: string }) => `${v.party}\u0000${v.key}`;
  const open = new Map(openVersions.map((v) => [id(v), v]));
  const closed = new Map(closedOnDay.map((v) => [id(v), v]));
  for (const key of new Set([...open.keys(), ...now.keys()])) {
    const current = open.get(key);
    const body = now.get(key);
    const previous = closed.get(key);
    const [party, elementKey] = key.split('\u0000');
    if (current && body && same(current.body, body)) continue;
    if (current && current.validFrom === day) {
      // Opened earlier today: today's value is not history yet.
      changes.deletes.push({ party, key: elementKey, validFrom: day });
      if (body && previous && same(previous.body, body)) changes.updates.push({ ...previous, validTo: null });
      else if (body) changes.inserts.push({ party, key: elementKey, validFrom: day, validTo: null, body });
      continue;
    }
    if (current) changes.updates.push({ ...current, validTo: day });
    if (!body) continue;
    if (!current && previous && same(previous.body, body)) changes.updates.push({ ...previous, validTo: null });
    else changes.inserts.push({ party, key: elementKey, validFrom: day, validTo: null, body });
  }
  return changes;
}

export { allElements };
