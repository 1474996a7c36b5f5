/**
 * A party's position on a topic: the answer's shape (PositionCore and its views), put together
 * from the state (positionOf) or from stored elements (elementsToPosition, elements.ts), with the
 * history window, the orders lists are shown in, the overall stance and the counts of its lists.
 */
import type {
  ClosedStatus,
  RecordKind,
  Evidence,
  EvidenceLookup,
  ItemStance,
  ReactionKind,
  ReactionLink,
  RecordLink,
  TopicState,
} from '../records/topic-state.js';
import { WHOLE_TOPIC } from '../records/topic-state.js';
import { lastPossibleDay } from '../time/order.js';
import { type ElementBody, ElementKey, elementsOf, LINK_FIELDS, splitElementId, withEvidence } from './elements.js';

export type OverallStance = ItemStance | 'mixed';

/** A link to another record as answers show it: what it points to, with its item's title. */
export interface LinkView extends RecordLink {
  readonly title?: string;
}

/** A stance a party held on an item, and until when: one step of the stance trail. */
export interface ReplacedStanceView {
  readonly stance: ItemStance;
  readonly reason?: string;
  readonly since: string;
  readonly until: string;
  readonly evidence: Evidence;
}

export interface ItemPosition {
  readonly item: string;
  readonly title: string;
  readonly stance: ItemStance;
  readonly reason?: string;
  /** The day the stance counts from. */
  readonly since: string;
  readonly evidence: Evidence;
  /** The stances it replaced, oldest first, within the history window (absent: none). */
  readonly replaced?: readonly ReplacedStanceView[];
}

/** A party's answer to a record (none: an addressee that has not answered), with its earlier answers to it. */
export interface AnswerView {
  readonly party: string;
  readonly response: string;
  readonly reason?: string;
  readonly evidence?: Evidence;
  /** The day the answer counts from (placeOf: no earlier than the record it answers); none of an addressee that has not answered. */
  readonly countsFrom?: string;
  readonly earlier?: readonly { response: string; reason?: string; evidence: Evidence; countsFrom: string }[];
}

/** How and when a record closed, and by whose event. */
export interface ClosureView {
  readonly status: ClosedStatus;
  readonly on: string;
  readonly party: string;
  readonly evidence: Evidence;
}

/** The kinds of record a position lists as closed: a proposal, demand or threat, or a concession (once moot). */
export type ClosedRecordKind = RecordKind | 'concession';

/** A record that no longer stands: a proposal, demand, threat or concession, with how it closed. */
export interface ClosedView {
  readonly record: ClosedRecordKind;
  readonly eventId: string;
  /** Its author. */
  readonly by: string;
  readonly targets: readonly string[];
  readonly item?: string;
  readonly title?: string;
  /** The terms proposed or conceded, what was demanded, or the counter-measure threatened. */
  readonly what: string;
  readonly condition?: string;
  /** For a concession: the demand it had met. */
  readonly meets?: LinkView;
  /** For a concession: its author's own proposal it had backed down on. */
  readonly backsDownOn?: LinkView;
  readonly status: ClosedStatus;
  readonly closed: ClosureView;
  /** Withdrawals by its author counted after it had closed (a late report put the closure first). */
  readonly withdrawnLater?: readonly ClosureView[];
  readonly responses: readonly AnswerView[];
  /** Earlier records of the same author that this one restated. */
  readonly restates?: readonly { what: string; evidence: Evidence }[];
  readonly evidence: Evidence;
  /**
   * The day it counts from (order.ts, placeOf): its own last possible day, or an earlier one that an
   * answer to it proves it had happened by; what turning points and the order of a list read.
   */
  readonly countsFrom: string;
}

export interface ProposalView {
  readonly eventId: string;
  readonly item: string;
  readonly title: string;
  readonly terms: string;
  readonly proposer: string;
  readonly addressees: readonly string[];
  /** Every addressee and every party that answered: accepted, rejected, endorsed, a stated stance, or none. */
  readonly responses: readonly AnswerView[];
  /** Earlier proposals of the same party on the item that this one restates (superseded by it). */
  readonly restates?: readonly { what: string; evidence: Evidence }[];
  readonly evidence: Evidence;
  /**
   * The day it counts from (order.ts, placeOf): its own last possible day, or an earlier one that an
   * answer to it proves it had happened by; what turning points and the order of a list read.
   */
  readonly countsFrom: string;
}

export interface ResponseView {
  /** The proposal answered. */
  readonly to: LinkView;
  readonly item: string;
  readonly title: string;
  readonly response: string;
  readonly reason?: string;
  readonly evidence: Evidence;
  /** The day the answer counts from. */
  readonly countsFrom: string;
}

export interface DemandView {
  readonly eventId: string;
  readonly kind: 'freeze_demand' | 'demand';
  readonly by: string;
  readonly targets: readonly string[];
  readonly item?: string;
  readonly what: string;
  readonly condition?: string;
  readonly responses: readonly AnswerView[];
  /** Earlier identical demands of the same party that this one restates (superseded by it). */
  readonly restates?: readonly { what: string; evidence: Evidence }[];
  readonly evidence: Evidence;
  /**
   * The day it counts from (order.ts, placeOf): its own last possible day, or an earlier one that an
   * answer to it proves it had happened by; what turning points and the order of a list read.
   */
  readonly countsFrom: string;
}

export interface ThreatView {
  readonly eventId: string;
  /** Its author: the party threatening (a target's `threatsAgainstParty` lists others' threats). */
  readonly by: string;
  readonly targets: readonly string[];
  readonly item?: string;
  readonly counterMeasure: string;
  readonly condition?: string;
  readonly evidence: Evidence;
  /**
   * The day it counts from (order.ts, placeOf): its own last possible day, or an earlier one that an
   * answer to it proves it had happened by; what turning points and the order of a list read.
   */
  readonly countsFrom: string;
}

export interface ConcessionView {
  readonly eventId: string;
  readonly item?: string;
  readonly terms: string;
  readonly meets?: LinkView;
  readonly backsDownOn?: LinkView;
  readonly evidence: Evidence;
  /**
   * The day it counts from (order.ts, placeOf): its own last possible day, or an earlier one that an
   * answer to it proves it had happened by; what turning points and the order of a list read.
   */
  readonly countsFrom: string;
}

export interface ActView {
  readonly eventId: string;
  readonly kind: 'action' | 'agreement';
  readonly targets: readonly string[];
  /** An agreement signed by several parties: all of them, its actor first. */
  readonly signers?: readonly string[];
  /** An agreement signed (CAMEO 057), not only agreed in words (019). */
  readonly signed?: boolean;
  /**
   * Signers that withdrew from the agreement, each with the day and its withdrawal: for them it is
   * no longer in force (it stays listed, so nothing they did is forgotten); for the others it is.
   */
  readonly left?: readonly { readonly party: string; readonly on: string; readonly evidence: Evidence }[];
  readonly item?: string;
  readonly description: string;
  readonly accepts?: LinkView;
  /** An action that carried out its actor's threat: the threat (closed as `carried-out` by it). */
  readonly carriesOut?: LinkView;
  readonly evidence: Evidence;
  /**
   * The day it counts from (order.ts, placeOf): its own last possible day, or an earlier one that an
   * answer to it proves it had happened by; what turning points and the order of a list read.
   */
  readonly countsFrom: string;
}

/** A link to the decision a reaction is about, with its item's title. */
export interface ReactionLinkView extends ReactionLink {
  readonly title?: string;
}

/** A party's reaction to another party's decision or threat: welcomed, condemned, rejected, agreed... */
export interface ReactionView {
  readonly eventId: string;
  /** The reacting party. */
  readonly by: string;
  readonly reaction: ReactionKind;
  readonly reason?: string;
  readonly to: ReactionLinkView;
  readonly concerns: readonly string[];
  readonly evidence: Evidence;
  /**
   * The day it counts from (order.ts, placeOf): its own last possible day, or an earlier one that an
   * answer to it proves it had happened by; what turning points and the order of a list read.
   */
  readonly countsFrom: string;
}

/** One party's position on one topic (docs/architecture.md, "Positions"), less the date-dependent lists. */
export interface PositionCore {
  readonly party: string;
  readonly topic: string;
  readonly stance: OverallStance;
  readonly topicStance?: ItemPosition;
  readonly items: readonly ItemPosition[];
  readonly openProposals: readonly ProposalView[];
  readonly responses: readonly ResponseView[];
  readonly activeDemands: readonly DemandView[];
  readonly demandsOnParty: readonly DemandView[];
  readonly concessions: readonly ConcessionView[];
  readonly activeThreats: readonly ThreatView[];
  /** Other parties' threats made against the party that still stand (each as its author's `activeThreats` lists it). */
  readonly threatsAgainstParty: readonly ThreatView[];
  readonly acts: readonly ActView[];
  /** The party's reactions to other parties' decisions and threats (a stance toward a decision, not its item). */
  readonly reactions: readonly ReactionView[];
  /** Other parties' reactions to the party's decisions and threats, or that concern it. */
  readonly reactionsToParty: readonly ReactionView[];
  /** The party's own records closed within the history window (or all, with history=all), latest first. */
  readonly closed: readonly ClosedView[];
  /**
   * Other parties' records that concerned the party and closed within the window: demands made of
   * it, threats made against it, and proposals or demands it answered (refused, met, accepted,
   * withdrawn, superseded or moot).
   */
  readonly closedConcerningParty: readonly ClosedView[];
  /** The party's own latest counted event on the topic. */
  readonly lastChange: Evidence | null;
  /** The latest counted event, anyone's, that changed the party's position. */
  readonly lastChangeAffecting: Evidence | null;
}

export interface CatalogItem {
  readonly slug: string;
  /** The catalog's title, at every date; absent for an item the events named (its title is theirs, at each date). */
  readonly title?: string;
}

/** Titles that events gave items, as they stood at a date: by item slug. */
export type ItemTitles = Readonly<Record<string, { readonly title: string }>>;

/** What an answer shows of the past: closed records and replaced stances from `historyFrom` on (absent: all). */
export interface HistoryWindow {
  readonly historyFrom?: string;
}

/** The first day of the default history window: twelve months before `at`. */
export function historyWindowStart(at: string): string {
  const [year, month, day] = at.split('-');
  const start = `${Number(year) - 1}-${month}-${day}`;
  return month === '02' && day === '29' ? `${Number(year) - 1}-02-28` : start;
}

/** The day a history element (a closed record, a replaced stance) became history; undefined: not history. */
function historySince(key: string, body: Record<string, unknown>): string | undefined {
  if (key.startsWith('was:')) return body.until as string;
  if (key.startsWith('closed')) return (body.closed as { on: string }).on;
  return undefined;
}

/** Whether an element is history (a closed record, a replaced stance) from before the window. */
function beforeWindow(key: string, body: Record<string, unknown>, window: HistoryWindow): boolean {
  const since = window.historyFrom ? historySince(key, body) : undefined;
  return since !== undefined && since < window.historyFrom!;
}

const nextDay = (day: string) => new Date(Date.parse(`${day}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);

/** historyEnd by the day it became history: a rebuild asks it for millions of elements and a few thousand days. */
const windowEnds = new Map<string, string>();

/**
 * The first `at` at which an element is out of the default history window (the projection
 * stores it beside the element, so the window is applied inside the index); undefined: not
 * history, shown whatever the date. The same rule as beforeWindow: at >= historyEnd exactly
 * when the window of `at` (historyWindowStart) starts after the day the element became history:
 * the day after its anniversary, and never 29 February (whose window starts on 28 February).
 */
export function historyEnd(key: string, body: ElementBody): string | undefined {
  const since = typeof body === 'string' ? undefined : historySince(key, body as Record<string, unknown>);
  if (since === undefined) return undefined;
  let end = windowEnds.get(since);
  if (end === undefined) {
    const [year, month, day] = since.split('-');
    const anniversary = `${String(Number(year) + 1).padStart(4, '0')}-${month}-${month === '02' && day === '29' ? '28' : day}`;
    end = nextDay(anniversary);
    if (end.endsWith('-02-29')) end = `${end.slice(0, 4)}-03-01`;
    windowEnds.set(since, end);
  }
  return end;
}

/** The items an element's body names, its own and its links' (RecordLink): those whose titles its answer shows. */
export function itemsNamedBy(body: object): string[] {
  const e = body as Record<string, unknown>;
  const items = typeof e.item === 'string' ? [e.item] : [];
  for (const field of LINK_FIELDS) {
    const link = e[field] as RecordLink | undefined;
    if (link?.item) items.push(link.item);
  }
  return items;
}

/**
 * Puts one party's position back together from its elements (evidence resolved). An item's title
 * is the catalog's where the catalog named it, else the one the events had given it at the date
 * (`eventTitles`: the state's items, or the topic's title elements valid then), else its slug.
 */
export function elementsToPosition(
  party: string,
  topic: string,
  elements: ReadonlyMap<string, object>,
  catalogItems: readonly CatalogItem[],
  eventTitles: ItemTitles = {},
  window: HistoryWindow = {},
): PositionCore {
  const titles = new Map(catalogItems.flatMap((i) => (i.title === undefined ? [] : [[i.slug, i.title]])));
  const titleOf = (item: string) => titles.get(item) ?? eventTitles[item]?.title ?? item;
  const shown = [...elements.entries()].filter(
    ([key, body]) => !beforeWindow(key, body as Record<string, unknown>, window),
  );
  const byPrefix = (prefix: string) =>
    shown.filter(([key]) => key.startsWith(`${prefix}:`)).map(([, body]) => body as Record<string, unknown>);
  /** Item titles from the catalog, on an element and on the links it holds. */
  const titled = (e: Record<string, unknown>, own = true): Record<string, unknown> => {
    let out = own && e.item ? { ...e, title: titleOf(e.item as string) } : e;
    for (const field of LINK_FIELDS) {
      const link = out[field] as RecordLink | undefined;
      if (link?.item) out = { ...out, [field]: { ...link, title: titleOf(link.item) } };
    }
    return out;
  };
  const withTitle = <T>(list: Record<string, unknown>[]) => sortByEvidence(list.map((e) => titled(e))) as T[];
  // The stance trail: replaced stances by item, oldest first.
  const trails = new Map<string, Record<string, unknown>[]>();
  for (const body of byPrefix('was')) {
    const item = body.item as string;
    const { item: _item, ...step } = body;
    trails.set(item, [...(trails.get(item) ?? []), step]);
  }
  const withTrail = (item: string, body: Record<string, unknown>) => {
    const trail = trails.get(item);
    return trail
      ? {
          ...body,
          // By the day each was replaced, then by the stance's own evidence (several replaced in one day).
          replaced: sortByEvidence(trail).sort((a, b) =>
            a.until === b.until ? 0 : (a.until as string) < (b.until as string) ? -1 : 1,
          ),
        }
      : body;
  };
  // Only items the party engaged with: an item it never spoke of is not part of its position.
  const known = new Map(byPrefix('item').map((body) => [body.item as string, body]));
  const items = itemOrder(catalogItems, [...known.keys()])
    .filter((slug) => known.has(slug))
    .map((slug) => ({ ...withTrail(slug, known.get(slug)!), title: titleOf(slug) }) as ItemPosition);
  const whole = elements.get(ElementKey.stance(WHOLE_TOPIC)) as Record<string, unknown> | undefined;
  const topicStance = whole
    ? ({ ...withTrail(WHOLE_TOPIC, whole), item: WHOLE_TOPIC, title: 'the topic as a whole' } as ItemPosition)
    : undefined;
  const list = <T>(...prefixes: string[]) =>
    sortByEvidence(prefixes.flatMap(byPrefix).map((e) => titled(e, false))) as T[];
  // Latest closure first; closures of one day keep the records' canonical order (sortByEvidence:
  // the closed record's place in time, then its event id), whatever order the closing events came in.
  const latestClosedFirst = (list: ClosedView[]) =>
    list.sort((a, b) => (a.closed.on === b.closed.on ? 0 : a.closed.on > b.closed.on ? -1 : 1));
  return {
    party,
    topic,
    stance: overallStance([...items.map((i) => i.stance), ...(topicStance ? [topicStance.stance] : [])]),
    ...(topicStance ? { topicStance } : {}),
    items,
    openProposals: withTitle<ProposalView>(byPrefix('proposal')),
    responses: withTitle<ResponseView>(byPrefix('response')),
    activeDemands: list<DemandView>('demand'),
    demandsOnParty: list<DemandView>('demand-on'),
    concessions: list<ConcessionView>('concession'),
    activeThreats: list<ThreatView>('threat'),
    threatsAgainstParty: list<ThreatView>('threat-on'),
    // Actions and agreements, one list (their keys differ only so that a reader can fetch agreements alone).
    acts: list<ActView>('act', 'agreement'),
    reactions: list<ReactionView>('reaction'),
    reactionsToParty: list<ReactionView>('reaction-on'),
    closed: latestClosedFirst(withTitle<ClosedView>(byPrefix('closed'))),
    closedConcerningParty: latestClosedFirst(withTitle<ClosedView>(byPrefix('closed-on'))),
    lastChange: (elements.get(ElementKey.lastChange) as Evidence | undefined) ?? null,
    lastChangeAffecting: (elements.get(ElementKey.lastChangeAffecting) as Evidence | undefined) ?? null,
  };
}

/** A party's position on the topic from the folded state: its elements, put together. */
export function positionOf(
  state: TopicState,
  party: string,
  evidence: EvidenceLookup,
  catalogItems: readonly CatalogItem[] = [],
  window: HistoryWindow = {},
): PositionCore {
  const elements = new Map<string, object>();
  for (const [id, body] of elementsOf(state, party)) elements.set(splitElementId(id)[1], withEvidence(body, evidence));
  return elementsToPosition(party, state.topic, elements, catalogItems, state.items, window);
}

/** Canonical order of listed elements: by their evidence's place in time, then id. */
export function sortByEvidence<T>(list: readonly T[]): T[] {
  const key = (e: T) => {
    const { evidence, eventId, to, countsFrom } = e as {
      evidence: Evidence;
      eventId?: string;
      to?: RecordLink;
      countsFrom?: string;
    };
    return `${evidenceOrder(evidence, countsFrom)}|${eventId ?? to?.event ?? ''}`;
  };
  return [...list].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}

/**
 * Where evidence stands in time, as a text that sorts: the day it counts from (`countsFrom`, where
 * the element says it: an answer may have made it earlier; else lastPossibleDay), the start of its
 * occurred interval, its report, its event id.
 */
export function evidenceOrder(evidence: Evidence, countsFrom: string = lastPossibleDay(evidence)): string {
  return `${countsFrom}|${evidence.occurred.from}|${evidence.reportedAt}|${evidence.eventId}`;
}

/** Items in catalog order, then the others by slug, so every read path lists them alike. */
export function itemOrder(catalogItems: readonly CatalogItem[], others: readonly string[]): string[] {
  const catalog = catalogItems.map((i) => i.slug);
  return [...catalog, ...[...new Set(others)].filter((s) => !catalog.includes(s)).sort()];
}

const POSITIVE = new Set<ItemStance>(['proposer', 'supports', 'accepted']);
const NEGATIVE = new Set<ItemStance>(['opposes', 'rejected']);

/** One word for a party's whole stance on a topic: the shared stance of its items, or "mixed". */
export function overallStance(stances: readonly ItemStance[]): OverallStance {
  const known = stances.filter((s) => s !== 'unknown' && s !== 'withdrawn' && s !== 'neutral');
  if (known.length === 0) return stances.includes('neutral') ? 'neutral' : 'unknown';
  const distinct = new Set(known);
  if (distinct.size === 1) return known[0];
  if (known.every((s) => POSITIVE.has(s))) return 'supports';
  if (known.every((s) => NEGATIVE.has(s))) return 'opposes';
  return 'mixed';
}

/** The lists of a position that a compact line counts. */
export type CountedList =
  | 'items'
  | 'topicStance'
  | 'openProposals'
  | 'responses'
  | 'activeDemands'
  | 'demandsOnParty'
  | 'activeThreats'
  | 'threatsAgainstParty'
  | 'concessions'
  | 'acts'
  | 'reactions'
  | 'reactionsToParty'
  | 'closed'
  | 'closedConcerningParty';

/**
 * How many elements of each list a position holds, from how many elements of each kind it has
 * (elementKind), as elementsToPosition lists them: history older than the window is not counted
 * (the compact reader counts in SQL, where the window is applied by hidden_from).
 */
export function elementCounts(count: (kind: string) => number): Record<CountedList, number> {
  return {
    // As the full position lists them: `items` per item, the stance on the topic as a whole beside
    // (counted in `items`, a line said 8 items where its position listed 7).
    items: count('item'),
    topicStance: count('topic-stance'),
    openProposals: count('proposal'),
    responses: count('response'),
    activeDemands: count('demand'),
    demandsOnParty: count('demand-on'),
    activeThreats: count('threat'),
    threatsAgainstParty: count('threat-on'),
    concessions: count('concession'),
    acts: count('act') + count('agreement'),
    reactions: count('reaction'),
    reactionsToParty: count('reaction-on'),
    closed: count('closed'),
    closedConcerningParty: count('closed-on'),
  };
}
