import type {
  ActState,
  ClosedStatus,
  Closure,
  RecordKind,
  ReplacedStance,
  ConcessionState,
  DemandState,
  Evidence,
  EvidenceLookup,
  EvidenceRef,
  ItemStance,
  ProposalState,
  ReactionKind,
  ReactionLink,
  ReactionState,
  DemandResponse,
  RecordLink,
  Response,
  StanceEntry,
  ThreatState,
  TopicState,
} from '../records/topic-state.js';
import { WHOLE_TOPIC } from '../records/topic-state.js';
import type { RecordRef } from '../records/evolve.js';

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
  readonly earlier?: readonly { response: string; reason?: string; evidence: Evidence }[];
}

/** How and when a record closed, and by whose event. */
export interface ClosureView {
  readonly status: ClosedStatus;
  readonly on: string;
  readonly party: string;
  readonly evidence: Evidence;
}

/** A record that no longer stands: a proposal, demand or threat, with how it closed. */
export interface ClosedView {
  readonly record: RecordKind;
  readonly eventId: string;
  /** Its author. */
  readonly by: string;
  readonly targets: readonly string[];
  readonly item?: string;
  readonly title?: string;
  /** The terms proposed, what was demanded, or the counter-measure threatened. */
  readonly what: string;
  readonly condition?: string;
  readonly status: ClosedStatus;
  readonly closed: ClosureView;
  /** Withdrawals by its author counted after it had closed (a late report put the closure first). */
  readonly withdrawnLater?: readonly ClosureView[];
  readonly responses: readonly AnswerView[];
  /** Earlier records of the same author that this one restated. */
  readonly restates?: readonly { evidence: Evidence }[];
  readonly evidence: Evidence;
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
  readonly restates?: readonly { evidence: Evidence }[];
  readonly evidence: Evidence;
}

export interface ResponseView {
  /** The proposal answered. */
  readonly to: LinkView;
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
  readonly responses: readonly AnswerView[];
  /** Earlier identical demands of the same party that this one restates (superseded by it). */
  readonly restates?: readonly { evidence: Evidence }[];
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
  readonly meets?: LinkView;
  readonly backsDownOn?: LinkView;
  readonly evidence: Evidence;
}

export interface ActView {
  readonly eventId: string;
  readonly kind: 'action' | 'agreement';
  readonly targets: readonly string[];
  /** An agreement signed by several parties: all of them, its actor first. */
  readonly signers?: readonly string[];
  readonly item?: string;
  readonly description: string;
  readonly accepts?: LinkView;
  readonly evidence: Evidence;
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
  /** The party's reactions to other parties' decisions and threats (a stance toward a decision, not its item). */
  readonly reactions: readonly ReactionView[];
  /** Other parties' reactions to the party's decisions and threats, or that concern it. */
  readonly reactionsToParty: readonly ReactionView[];
  /** The party's own records closed within the history window (or all, with history=all), latest first. */
  readonly closed: readonly ClosedView[];
  /**
   * Other parties' records that concerned the party and closed within the window: demands made of
   * it and proposals or demands it answered (refused, met, accepted, withdrawn, superseded or moot).
   */
  readonly closedConcerningParty: readonly ClosedView[];
  /** The party's own latest counted event on the topic. */
  readonly lastChange: Evidence | null;
  /** The latest counted event, anyone's, that changed the party's position. */
  readonly lastChangeAffecting: Evidence | null;
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

/** Keys of element kinds (docs/architecture.md, "Positions"); an element id is party + key. */
export const ElementKey = {
  proposal: (id: string) => `proposal:${id}`,
  response: (id: string) => `response:${id}`,
  demand: (id: string) => `demand:${id}`,
  demandOn: (id: string) => `demand-on:${id}`,
  threat: (id: string) => `threat:${id}`,
  closed: (id: string) => `closed:${id}`,
  closedOn: (id: string) => `closed-on:${id}`,
  concession: (id: string) => `concession:${id}`,
  act: (id: string) => `act:${id}`,
  reaction: (id: string) => `reaction:${id}`,
  reactionOn: (id: string) => `reaction-on:${id}`,
  stance: (item: string) => (item === WHOLE_TOPIC ? 'topic-stance' : `item:${item}`),
  replaced: (item: string, evidence: EvidenceRef) => `was:${item}:${evidence}`,
  lastChange: 'last-change',
  lastChangeAffecting: 'last-affecting',
} as const;

/** Fields of element bodies that link to another record (RecordLink). */
const LINK_FIELDS = ['to', 'meets', 'backsDownOn', 'accepts'] as const;

const restatesBody = (restates: readonly EvidenceRef[] | undefined) =>
  restates?.length ? { restates: restates.map((evidence) => ({ evidence })) } : {};

/** A party's answer to a record, with its earlier answers to it. */
const answerBody = (r: Response | DemandResponse) => ({
  party: r.party,
  response: r.response,
  ...(r.reason ? { reason: r.reason } : {}),
  evidence: r.evidence,
  ...(r.earlier ? { earlier: r.earlier } : {}),
});

function demandBody(d: DemandState) {
  return {
    eventId: d.eventId,
    kind: d.kind,
    by: d.actor,
    targets: d.targets,
    ...(d.item ? { item: d.item } : {}),
    what: d.what,
    ...(d.condition ? { condition: d.condition } : {}),
    responses: Object.values(d.responses).sort(byParty).map(answerBody),
    ...restatesBody(d.restates),
    evidence: d.evidence,
  };
}

function proposalResponses(p: ProposalState) {
  const answered = Object.values<Response>(p.responses).sort(byParty);
  const silent = p.addressees.filter((party) => !p.responses[party]).map((party) => ({ party, response: 'none' }));
  return [...answered.map(answerBody), ...silent];
}

function proposalBody(p: ProposalState) {
  return {
    eventId: p.eventId,
    item: p.item,
    terms: p.terms,
    proposer: p.actor,
    addressees: p.addressees,
    responses: proposalResponses(p),
    ...restatesBody(p.restates),
    evidence: p.evidence,
  };
}

const closureBody = (c: Closure) => ({ status: c.status, on: c.on, party: c.party, evidence: c.by });

/** A closed record as its author's `closed` list (and a demand's targets) show it. */
function closedBody(kind: RecordKind, record: ProposalState | DemandState | ThreatState, closure: Closure) {
  const common = {
    record: kind,
    eventId: record.eventId,
    by: record.actor,
    ...(record.item ? { item: record.item } : {}),
    status: closure.status,
    closed: closureBody(closure),
    ...(record.laterWithdrawals ? { withdrawnLater: record.laterWithdrawals.map(closureBody) } : {}),
  };
  if (kind === 'proposal') {
    const p = record as ProposalState;
    return {
      ...common,
      targets: p.addressees,
      what: p.terms,
      responses: proposalResponses(p),
      ...restatesBody(p.restates),
      evidence: p.evidence,
    };
  }
  if (kind === 'demand') {
    const { responses, restates, condition, what, targets, evidence } = demandBody(record as DemandState);
    return {
      ...common,
      targets,
      what,
      ...(condition ? { condition } : {}),
      responses,
      ...(restates ? { restates } : {}),
      evidence,
    };
  }
  const t = record as ThreatState;
  return {
    ...common,
    targets: t.targets,
    what: t.counterMeasure,
    ...(t.condition ? { condition: t.condition } : {}),
    responses: [],
    evidence: t.evidence,
  };
}

function responseBody(p: ProposalState, r: Response) {
  return {
    to: { event: p.eventId, record: 'proposal', by: p.actor, item: p.item, what: p.terms },
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
    ...(c.backsDownOn ? { backsDownOn: c.backsDownOn } : {}),
    evidence: c.evidence,
  };
}

function actBody(a: ActState) {
  return {
    eventId: a.eventId,
    kind: a.kind,
    targets: a.targets,
    ...(a.cosigners?.length ? { signers: [a.actor, ...a.cosigners] } : {}),
    ...(a.item ? { item: a.item } : {}),
    description: a.description,
    ...(a.accepts ? { accepts: a.accepts } : {}),
    evidence: a.evidence,
  };
}

function reactionBody(r: ReactionState) {
  return {
    eventId: r.eventId,
    by: r.actor,
    reaction: r.reaction,
    ...(r.reason ? { reason: r.reason } : {}),
    to: r.to,
    concerns: r.concerns,
    evidence: r.evidence,
  };
}

function stanceBody(item: string, entry: StanceEntry) {
  return {
    item,
    stance: entry.stance,
    ...(entry.reason ? { reason: entry.reason } : {}),
    since: entry.since,
    evidence: entry.evidence,
  };
}

type Emit = (party: string, key: string, body: ElementBody) => void;

/**
 * An open proposal is in its proposer's position, and each answer to it in the answering party's.
 * Once closed, it is in its proposer's `closed` list with how it closed, and in the answering
 * parties' `closedConcerningParty` with their answers; their stance on the item keeps its trail.
 */
const proposalElements = (p: ProposalState, emit: Emit) => {
  if (p.closed) {
    const body = closedBody('proposal', p, p.closed);
    emit(p.actor, ElementKey.closed(p.eventId), body);
    for (const party in p.responses) if (party !== p.actor) emit(party, ElementKey.closedOn(p.eventId), body);
    return;
  }
  emit(p.actor, ElementKey.proposal(p.eventId), proposalBody(p));
  for (const r of Object.values<Response>(p.responses))
    if (r.party !== p.actor) emit(r.party, ElementKey.response(p.eventId), responseBody(p, r));
};
/** A demand is in its author's position and in those of the parties it is made of, or that answered it. */
const demandElements = (d: DemandState, emit: Emit) => {
  const on = new Set([...d.targets, ...Object.keys(d.responses)]);
  on.delete(d.actor);
  if (d.closed) {
    const body = closedBody('demand', d, d.closed);
    emit(d.actor, ElementKey.closed(d.eventId), body);
    for (const party of on) emit(party, ElementKey.closedOn(d.eventId), body);
    return;
  }
  const body = demandBody(d);
  emit(d.actor, ElementKey.demand(d.eventId), body);
  for (const party of on) emit(party, ElementKey.demandOn(d.eventId), body);
};
const threatElements = (t: ThreatState, emit: Emit) =>
  t.closed
    ? emit(t.actor, ElementKey.closed(t.eventId), closedBody('threat', t, t.closed))
    : emit(t.actor, ElementKey.threat(t.eventId), threatBody(t));
const concessionElements = (c: ConcessionState, emit: Emit) =>
  emit(c.actor, ElementKey.concession(c.eventId), concessionBody(c));
/** An act is in its actor's position, and an agreement in each co-signer's too. */
const actElements = (a: ActState, emit: Emit) => {
  const body = actBody(a);
  for (const party of [a.actor, ...(a.cosigners ?? [])]) emit(party, ElementKey.act(a.eventId), body);
};
/** A reaction is in its author's position, and in those of the parties it concerns (the decision's author first). */
const reactionElements = (r: ReactionState, emit: Emit) => {
  const body = reactionBody(r);
  emit(r.actor, ElementKey.reaction(r.eventId), body);
  for (const party of r.concerns) if (party !== r.actor) emit(party, ElementKey.reactionOn(r.eventId), body);
};
const stanceElement = (party: string, item: string, entry: StanceEntry, emit: Emit) =>
  emit(party, ElementKey.stance(item), stanceBody(item, entry));
const replacedElement = (r: ReplacedStance, emit: Emit) =>
  emit(r.party, ElementKey.replaced(r.item, r.entry.evidence), { ...stanceBody(r.item, r.entry), until: r.until });

/** The elements one record of the state contributes (none if it is gone). */
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
    case 'reaction':
      if (state.reactions[Number(record.id)]) reactionElements(state.reactions[Number(record.id)], emit);
      break;
    case 'replaced':
      if (state.replacedStances[Number(record.id)]) replacedElement(state.replacedStances[Number(record.id)], emit);
      break;
    case 'stance': {
      const entry = state.stances[record.id]?.[record.item];
      if (entry) stanceElement(record.id, record.item, entry, emit);
      break;
    }
    case 'lastChange':
      if (state.lastChange[record.id]) emit(record.id, ElementKey.lastChange, state.lastChange[record.id]);
      break;
    case 'lastChangeAffecting':
      if (state.lastChangeAffecting[record.id])
        emit(record.id, ElementKey.lastChangeAffecting, state.lastChangeAffecting[record.id]);
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
  state.reactions.forEach((r) => reactionElements(r, emit));
  state.replacedStances.forEach((r) => replacedElement(r, emit));
  for (const [party, stances] of Object.entries(state.stances)) {
    for (const [item, entry] of Object.entries(stances)) stanceElement(party, item, entry, emit);
  }
  for (const [party, evidence] of Object.entries(state.lastChange)) emit(party, ElementKey.lastChange, evidence);
  for (const [party, evidence] of Object.entries(state.lastChangeAffecting))
    emit(party, ElementKey.lastChangeAffecting, evidence);
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
  list(before.reactions, after.reactions, reactionElements);
  list(before.replacedStances, after.replacedStances, replacedElement);
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
      if (before.lastChange[party] !== evidence) now.set(elementId(party, ElementKey.lastChange), evidence);
    }
  }
  if (before.lastChangeAffecting !== after.lastChangeAffecting) {
    for (const [party, evidence] of Object.entries(after.lastChangeAffecting)) {
      if (before.lastChangeAffecting[party] !== evidence)
        now.set(elementId(party, ElementKey.lastChangeAffecting), evidence);
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

/** Puts one party's position back together from its elements (evidence resolved), titles from the catalog and state. */
export function elementsToPosition(
  party: string,
  topic: string,
  elements: ReadonlyMap<string, object>,
  catalogItems: readonly CatalogItem[],
  stateItems: Readonly<Record<string, { title: string }>> = {},
  window: HistoryWindow = {},
): PositionCore {
  const titles = new Map(catalogItems.map((i) => [i.slug, i.title]));
  const titleOf = (item: string) => titles.get(item) ?? stateItems[item]?.title ?? item;
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
  const list = <T>(prefix: string) => sortByEvidence(byPrefix(prefix).map((e) => titled(e, false))) as T[];
  const latestClosedFirst = (list: ClosedView[]) =>
    list.sort((a, b) =>
      a.closed.on === b.closed.on ? (a.eventId < b.eventId ? -1 : 1) : a.closed.on > b.closed.on ? -1 : 1,
    );
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
    const { evidence, eventId, to } = e as { evidence: Evidence; eventId?: string; to?: RecordLink };
    return `${evidenceOrder(evidence)}|${eventId ?? to?.event ?? ''}`;
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

/** An element's kind: its key up to the first colon ("closed-on:<id>" -> "closed-on", "topic-stance"). */
export const elementKind = (key: string): string => key.split(':')[0];

/** The lists of a position that a compact line counts. */
export type CountedList =
  | 'items'
  | 'openProposals'
  | 'responses'
  | 'activeDemands'
  | 'demandsOnParty'
  | 'activeThreats'
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
    items: count('item') + count('topic-stance'),
    openProposals: count('proposal'),
    responses: count('response'),
    activeDemands: count('demand'),
    demandsOnParty: count('demand-on'),
    activeThreats: count('threat'),
    concessions: count('concession'),
    acts: count('act'),
    reactions: count('reaction'),
    reactionsToParty: count('reaction-on'),
    closed: count('closed'),
    closedConcerningParty: count('closed-on'),
  };
}
