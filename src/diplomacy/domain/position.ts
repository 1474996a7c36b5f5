import { longDate } from './dates.js';
import type {
  ActState,
  ConcessionState,
  DemandState,
  Evidence,
  EvidenceLookup,
  EvidenceRef,
  ItemStance,
  ProposalState,
  Response,
  StanceEntry,
  ThreatState,
  TopicState,
} from './topic-state.js';
import { WHOLE_TOPIC } from './topic-state.js';
import type { RecordRef } from './evolve.js';

export type OverallStance = ItemStance | 'mixed';

export interface ItemPosition {
  readonly item: string;
  readonly title: string;
  readonly stance: ItemStance;
  readonly reason?: string;
  readonly evidence?: Evidence;
}

export interface ProposalView {
  readonly eventId: string;
  readonly item: string;
  readonly title: string;
  readonly terms: string;
  readonly proposer: string;
  readonly addressees: readonly string[];
  /** Every addressee and every party that answered: accepted, rejected, endorsed, a stated stance, or none. */
  readonly responses: readonly { party: string; response: string; reason?: string; evidence?: Evidence }[];
  readonly evidence: Evidence;
}

export interface ResponseView {
  readonly to: string;
  readonly proposer: string;
  readonly item: string;
  readonly title: string;
  readonly response: string;
  readonly reason?: string;
  readonly evidence: Evidence;
}

export interface DemandView {
  readonly eventId: string;
  readonly kind: 'freeze_demand' | 'demand';
  readonly by: string;
  readonly targets: readonly string[];
  readonly item?: string;
  readonly what: string;
  readonly condition?: string;
  readonly responses: readonly { party: string; response: string; evidence: Evidence }[];
  readonly evidence: Evidence;
}

export interface ThreatView {
  readonly eventId: string;
  readonly targets: readonly string[];
  readonly item?: string;
  readonly counterMeasure: string;
  readonly condition?: string;
  readonly evidence: Evidence;
}

export interface ConcessionView {
  readonly eventId: string;
  readonly item?: string;
  readonly terms: string;
  readonly meets?: string;
  readonly evidence: Evidence;
}

export interface ActView {
  readonly eventId: string;
  readonly kind: 'action' | 'agreement';
  readonly targets: readonly string[];
  readonly item?: string;
  readonly description: string;
  readonly accepts?: string;
  readonly evidence: Evidence;
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
  readonly acts: readonly ActView[];
  readonly lastChange: Evidence | null;
}

export interface CatalogItem {
  readonly slug: string;
  readonly title: string;
}

// ---- Elements: a position cut into keyed pieces, each built from one record of the state ------
//
// The temporal projection stores these pieces with the days they held. A piece depends on one
// record only (a proposal, a demand, a stance...), so after an event only the pieces of the
// records it touched are rebuilt and compared. Pieces built from a fold name their evidence by
// reference (EvidenceRef); withEvidence puts the evidence in before they are stored or shown.

/**
 * One piece of a party's position; stored without item titles, which the catalog supplies on
 * read. Built from a fold, it names its evidence by reference (a last-change body is just the
 * reference); stored, it carries the evidence whole.
 */
export type ElementBody = object | EvidenceRef;

/** One element as it was before an event and after it (null: not there). */
export interface ElementChange {
  readonly before: ElementBody | null;
  readonly after: ElementBody | null;
}
/** `${party}\u0000${key}` */
export type ElementId = string;

const SEP = '\u0000';
export const elementId = (party: string, key: string): ElementId => `${party}${SEP}${key}`;
export const splitElementId = (id: ElementId): [string, string] => id.split(SEP) as [string, string];

/** Stored state comes back from JSONB with its keys reordered: lists built from maps are sorted. */
const byParty = (a: { party: string }, b: { party: string }) => (a.party < b.party ? -1 : a.party > b.party ? 1 : 0);

function demandBody(d: DemandState) {
  return {
    eventId: d.eventId,
    kind: d.kind,
    by: d.actor,
    targets: d.targets,
    ...(d.item ? { item: d.item } : {}),
    what: d.what,
    ...(d.condition ? { condition: d.condition } : {}),
    responses: Object.values(d.responses)
      .sort(byParty)
      .map((r) => ({ party: r.party, response: r.response, evidence: r.evidence })),
    evidence: d.evidence,
  };
}

function proposalBody(p: ProposalState) {
  const answered = Object.values<Response>(p.responses).sort(byParty);
  const silent = p.addressees.filter((party) => !p.responses[party]).map((party) => ({ party, response: 'none' }));
  return {
    eventId: p.eventId,
    item: p.item,
    terms: p.terms,
    proposer: p.actor,
    addressees: p.addressees,
    responses: [
      ...answered.map((r) => ({
        party: r.party,
        response: r.response,
        ...(r.reason ? { reason: r.reason } : {}),
        evidence: r.evidence,
      })),
      ...silent,
    ],
    evidence: p.evidence,
  };
}

function responseBody(p: ProposalState, r: Response) {
  return {
    to: p.eventId,
    proposer: p.actor,
    item: p.item,
    response: r.response,
    ...(r.reason ? { reason: r.reason } : {}),
    evidence: r.evidence,
  };
}

function threatBody(t: ThreatState) {
  return {
    eventId: t.eventId,
    targets: t.targets,
    ...(t.item ? { item: t.item } : {}),
    counterMeasure: t.counterMeasure,
    ...(t.condition ? { condition: t.condition } : {}),
    evidence: t.evidence,
  };
}

function concessionBody(c: ConcessionState) {
  return {
    eventId: c.eventId,
    ...(c.item ? { item: c.item } : {}),
    terms: c.terms,
    ...(c.meets ? { meets: c.meets } : {}),
    evidence: c.evidence,
  };
}

function actBody(a: ActState) {
  return {
    eventId: a.eventId,
    kind: a.kind,
    targets: a.targets,
    ...(a.item ? { item: a.item } : {}),
    description: a.description,
    ...(a.accepts ? { accepts: a.accepts } : {}),
    evidence: a.evidence,
  };
}

function stanceBody(item: string, entry: StanceEntry) {
  return { item, stance: entry.stance, ...(entry.reason ? { reason: entry.reason } : {}), evidence: entry.evidence };
}

type Emit = (party: string, key: string, body: ElementBody) => void;

/**
 * An open proposal is in its proposer's position, and each answer to it in the answering party's.
 * Once withdrawn, neither is part of anyone's position any more (the answering party's stance on
 * the item stays under `items`; the answers themselves are history: changes and replay show them).
 */
const proposalElements = (p: ProposalState, emit: Emit) => {
  if (p.status !== 'open') return;
  emit(p.actor, `proposal:${p.eventId}`, proposalBody(p));
  for (const r of Object.values<Response>(p.responses))
    if (r.party !== p.actor) emit(r.party, `response:${p.eventId}`, responseBody(p, r));
};
const demandElements = (d: DemandState, emit: Emit) => {
  if (d.status !== 'active') return;
  const body = demandBody(d);
  emit(d.actor, `demand:${d.eventId}`, body);
  for (const target of d.targets) emit(target, `demand-on:${d.eventId}`, body);
};
const threatElements = (t: ThreatState, emit: Emit) => {
  if (t.status === 'active') emit(t.actor, `threat:${t.eventId}`, threatBody(t));
};
const concessionElements = (c: ConcessionState, emit: Emit) =>
  emit(c.actor, `concession:${c.eventId}`, concessionBody(c));
const actElements = (a: ActState, emit: Emit) => emit(a.actor, `act:${a.eventId}`, actBody(a));
const stanceElement = (party: string, item: string, entry: StanceEntry, emit: Emit) =>
  emit(party, item === WHOLE_TOPIC ? 'topic-stance' : `item:${item}`, stanceBody(item, entry));

/** The elements one record of the state contributes (none if it is gone or closed). */
export function recordElements(state: TopicState, record: RecordRef): Map<ElementId, ElementBody> {
  const elements = new Map<ElementId, ElementBody>();
  const emit: Emit = (party, key, body) => elements.set(elementId(party, key), body);
  switch (record.kind) {
    case 'proposal':
      if (state.proposals[record.id]) proposalElements(state.proposals[record.id], emit);
      break;
    case 'demand':
      if (state.demands[record.id]) demandElements(state.demands[record.id], emit);
      break;
    case 'threat':
      if (state.threats[record.id]) threatElements(state.threats[record.id], emit);
      break;
    case 'concession':
      if (state.concessions[Number(record.id)]) concessionElements(state.concessions[Number(record.id)], emit);
      break;
    case 'act':
      if (state.acts[Number(record.id)]) actElements(state.acts[Number(record.id)], emit);
      break;
    case 'stance': {
      const entry = state.stances[record.id]?.[record.item];
      if (entry) stanceElement(record.id, record.item, entry, emit);
      break;
    }
    case 'lastChange':
      if (state.lastChange[record.id]) emit(record.id, 'last-change', state.lastChange[record.id]);
      break;
  }
  return elements;
}

/** Deep equality where key order does not count: stored versions come back from JSONB with their keys reordered. */
export function sameBody(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a))
    return a.length === (b as unknown[]).length && a.every((x, i) => sameBody(x, (b as unknown[])[i]));
  const keysA = Object.keys(a);
  if (keysA.length !== Object.keys(b).length) return false;
  return keysA.every((k) => k in b && sameBody((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}

/** Every element of every party's position in the state. */
export function elementsOf(state: TopicState, onlyParty?: string): Map<ElementId, ElementBody> {
  const elements = new Map<ElementId, ElementBody>();
  const emit: Emit = (party, key, body) => {
    if (!onlyParty || party === onlyParty) elements.set(elementId(party, key), body);
  };
  Object.values(state.proposals).forEach((p) => proposalElements(p, emit));
  Object.values(state.demands).forEach((d) => demandElements(d, emit));
  Object.values(state.threats).forEach((t) => threatElements(t, emit));
  state.concessions.forEach((c) => concessionElements(c, emit));
  state.acts.forEach((a) => actElements(a, emit));
  for (const [party, stances] of Object.entries(state.stances)) {
    for (const [item, entry] of Object.entries(stances)) stanceElement(party, item, entry, emit);
  }
  for (const [party, evidence] of Object.entries(state.lastChange)) emit(party, 'last-change', evidence);
  return elements;
}

/**
 * The elements that differ between two states of one topic: new or changed ones with their
 * body, removed ones with null. Only records that are not identical are looked at.
 * The projection uses TopicFold.takeChanges; this whole-state form, on evolve's immutable
 * states, is the reference the property tests hold TopicFold to.
 */
export function changedElements(before: TopicState, after: TopicState): Map<ElementId, ElementBody | null> {
  const was = new Map<ElementId, ElementBody>();
  const now = new Map<ElementId, ElementBody>();
  const into =
    (map: Map<ElementId, ElementBody>): Emit =>
    (party, key, body) =>
      map.set(elementId(party, key), body);
  const records = <T>(
    a: Readonly<Record<string, T>>,
    b: Readonly<Record<string, T>>,
    elements: (r: T, emit: Emit) => void,
  ) => {
    if (a === b) return;
    for (const [id, record] of Object.entries(b)) {
      if (a[id] === record) continue;
      if (a[id]) elements(a[id], into(was));
      elements(record, into(now));
    }
    for (const [id, record] of Object.entries(a)) if (!(id in b)) elements(record, into(was));
  };
  const list = <T>(a: readonly T[], b: readonly T[], elements: (r: T, emit: Emit) => void) => {
    if (a === b) return;
    b.forEach((record, i) => {
      if (a[i] === record) return;
      if (a[i]) elements(a[i], into(was));
      elements(record, into(now));
    });
    for (let i = b.length; i < a.length; i++) elements(a[i], into(was));
  };
  records(before.proposals, after.proposals, proposalElements);
  records(before.demands, after.demands, demandElements);
  records(before.threats, after.threats, threatElements);
  list(before.concessions, after.concessions, concessionElements);
  list(before.acts, after.acts, actElements);
  if (before.stances !== after.stances) {
    for (const party of new Set([...Object.keys(before.stances), ...Object.keys(after.stances)])) {
      const a = before.stances[party] ?? {};
      const b = after.stances[party] ?? {};
      if (a === b) continue;
      for (const [item, entry] of Object.entries(b)) {
        if (a[item] === entry) continue;
        if (a[item]) stanceElement(party, item, a[item], into(was));
        stanceElement(party, item, entry, into(now));
      }
      for (const [item, entry] of Object.entries(a)) if (!(item in b)) stanceElement(party, item, entry, into(was));
    }
  }
  if (before.lastChange !== after.lastChange) {
    for (const [party, evidence] of Object.entries(after.lastChange)) {
      if (before.lastChange[party] !== evidence) now.set(elementId(party, 'last-change'), evidence);
    }
  }
  const changes = new Map<ElementId, ElementBody | null>();
  for (const id of was.keys()) if (!now.has(id)) changes.set(id, null);
  for (const [id, body] of now) changes.set(id, body);
  return changes;
}

/** Fields of element bodies that hold an evidence reference. */
const EVIDENCE_FIELDS = new Set(['evidence', 'retraction']);

function visitRefs(value: unknown, visit: (ref: EvidenceRef) => Evidence): unknown {
  if (Array.isArray(value)) return value.map((v) => visitRefs(v, visit));
  if (typeof value !== 'object' || value === null) return value;
  const copy: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(value)) {
    copy[key] = EVIDENCE_FIELDS.has(key) && typeof field === 'string' ? visit(field) : visitRefs(field, visit);
  }
  return copy;
}

/** The references in a value, without copying it (visitRefs copies). */
function collectRefs(value: unknown, into: Set<EvidenceRef>): void {
  if (Array.isArray(value)) for (const v of value) collectRefs(v, into);
  else if (typeof value === 'object' && value !== null) {
    for (const key in value) {
      const field = (value as Record<string, unknown>)[key];
      if (EVIDENCE_FIELDS.has(key) && typeof field === 'string') into.add(field);
      else collectRefs(field, into);
    }
  }
}

/** Every evidence reference in element bodies built from a fold, to look them all up at once. */
export function evidenceRefsIn(bodies: Iterable<ElementBody>): Set<EvidenceRef> {
  const refs = new Set<EvidenceRef>();
  for (const body of bodies) {
    if (typeof body === 'string') refs.add(body);
    else collectRefs(body, refs);
  }
  return refs;
}

/** A body with its evidence references replaced by the evidence they name. */
export function withEvidence(body: ElementBody, lookup: EvidenceLookup): object {
  return typeof body === 'string' ? lookup(body) : (visitRefs(body, lookup) as object);
}

/** Puts one party's position back together from its elements (evidence resolved), titles from the catalog and state. */
export function elementsToPosition(
  party: string,
  topic: string,
  elements: ReadonlyMap<string, object>,
  catalogItems: readonly CatalogItem[],
  stateItems: Readonly<Record<string, { title: string }>> = {},
): PositionCore {
  const titles = new Map(catalogItems.map((i) => [i.slug, i.title]));
  const titleOf = (item: string) => titles.get(item) ?? stateItems[item]?.title ?? item;
  const byPrefix = (prefix: string) =>
    [...elements.entries()]
      .filter(([key]) => key.startsWith(`${prefix}:`))
      .map(([, body]) => body as Record<string, unknown>);
  const withTitle = <T>(list: Record<string, unknown>[]) =>
    sortByEvidence(list.map((e) => ({ ...e, title: titleOf(e.item as string) }))) as T[];
  const known = new Map(byPrefix('item').map((body) => [body.item as string, body]));
  const items = itemOrder(catalogItems, [...known.keys()]).map((slug) => {
    const body = known.get(slug);
    return (
      body ? { ...body, title: titleOf(slug) } : { item: slug, title: titleOf(slug), stance: 'unknown' }
    ) as ItemPosition;
  });
  const whole = elements.get('topic-stance') as Record<string, unknown> | undefined;
  const topicStance = whole
    ? ({ ...whole, item: WHOLE_TOPIC, title: 'the topic as a whole' } as ItemPosition)
    : undefined;
  const list = <T>(prefix: string) => sortByEvidence(byPrefix(prefix)) as T[];
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
    acts: list<ActView>('act'),
    lastChange: (elements.get('last-change') as Evidence | undefined) ?? null,
  };
}

/** A party's position on the topic from the folded state: its elements, put together. */
export function positionOf(
  state: TopicState,
  party: string,
  evidence: EvidenceLookup,
  catalogItems: readonly CatalogItem[] = [],
): PositionCore {
  const elements = new Map<string, object>();
  for (const [id, body] of elementsOf(state, party)) elements.set(splitElementId(id)[1], withEvidence(body, evidence));
  return elementsToPosition(party, state.topic, elements, catalogItems, state.items);
}

/** Canonical order of listed elements: by their evidence's place in time, then id. */
export function sortByEvidence<T>(list: readonly T[]): T[] {
  const key = (e: T) => {
    const { evidence, eventId, to } = e as { evidence: Evidence; eventId?: string; to?: string };
    return `${evidenceOrder(evidence)}|${eventId ?? to ?? ''}`;
  };
  return [...list].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}

/** Where evidence stands in time, as a text that sorts: the end and start of its occurred interval, its report, its event id. */
export function evidenceOrder(evidence: Evidence): string {
  return `${evidence.occurred.to}|${evidence.occurred.from}|${evidence.reportedAt}|${evidence.eventId}`;
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

/** Names for the summary sentence; the caller passes the catalog's names. */
export interface Names {
  readonly party: (slug: string) => string;
  readonly topic: (slug: string) => string;
}

function list(words: readonly string[]): string {
  if (words.length <= 1) return words.join('');
  return `${words.slice(0, -1).join(', ')} and ${words[words.length - 1]}`;
}

const STANCE_VERB: Partial<Record<ItemStance, string>> = {
  opposes: 'opposed',
  rejected: 'rejected',
  supports: 'supported',
  accepted: 'accepted',
  conditional: 'took a conditional stance on',
  neutral: 'stayed neutral on',
};

/** The part of an item title before any colon: "the US third site: 10 interceptors..." -> "the US third site". */
function shortTitle(title: string): string {
  return title.split(':')[0].trim();
}

/**
 * A plain-English sentence built from the structure, e.g. "As of 13 October 2007, Russia opposed
 * the US third site, demanded that the United States freeze the US third site while talks
 * continue, and had on the table joint use of the Gabala radar in Azerbaijan."
 */
export function summarize(position: PositionCore, at: string, names: Names): string {
  const titleOf = new Map(position.items.map((i) => [i.item, shortTitle(i.title)]));
  const clauses: string[] = [];
  const byVerb = new Map<string, string[]>();
  for (const item of position.items) {
    const verb = STANCE_VERB[item.stance];
    if (verb) byVerb.set(verb, [...(byVerb.get(verb) ?? []), shortTitle(item.title)]);
  }
  for (const [verb, titles] of byVerb) clauses.push(`${verb} ${list(titles)}`);
  if (position.topicStance && STANCE_VERB[position.topicStance.stance] && byVerb.size === 0) {
    clauses.push(`${STANCE_VERB[position.topicStance.stance]} ${names.topic(position.topic)}`);
  }
  // Several demands of the same kind, on the same parties and item, read as one.
  const demands = new Map<string, DemandView>();
  const groupOf = (d: DemandView) =>
    `${d.kind}|${d.targets.join(',')}|${d.kind === 'freeze_demand' ? (d.item ?? d.what) : d.what}`;
  for (const demand of position.activeDemands) if (!demands.has(groupOf(demand))) demands.set(groupOf(demand), demand);
  for (const demand of demands.values()) {
    const on = list(demand.targets.map(names.party));
    const what = demand.item ? (titleOf.get(demand.item) ?? demand.what) : demand.what;
    const condition = position.activeDemands.find((d) => groupOf(d) === groupOf(demand) && d.condition)?.condition;
    clauses.push(
      demand.kind === 'freeze_demand'
        ? `demanded that ${on} freeze ${what}${condition ? ` ${condition}` : ''}`
        : `demanded of ${on}: ${demand.what}`,
    );
  }
  for (const threat of position.activeThreats)
    clauses.push(`threatened to ${threat.counterMeasure}${threat.condition ? ` ${threat.condition}` : ''}`);
  if (position.concessions.length) clauses.push(`had conceded ${list(position.concessions.map((c) => c.terms))}`);
  if (position.openProposals.length) {
    clauses.push(`had on the table ${list([...new Set(position.openProposals.map((p) => shortTitle(p.title)))])}`);
  }
  const who = names.party(position.party);
  const when = `As of ${longDate(at)}`;
  if (clauses.length === 0) return `${when}, ${who} had taken no recorded position on ${names.topic(position.topic)}.`;
  const sentence =
    clauses.length <= 2
      ? clauses.join(' and ')
      : `${clauses.slice(0, -1).join(', ')}, and ${clauses[clauses.length - 1]}`;
  return `${when}, ${who} ${sentence}.`;
}

/** "United States" -> "the United States" inside a sentence. */
export function inSentence(name: string): string {
  return /^(United |Czech Republic|Netherlands|Philippines|European Union|Group of)/.test(name) ? `the ${name}` : name;
}
