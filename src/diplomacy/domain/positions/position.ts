import { longDate } from '../time/dates.js';
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

const REACTION_VERB: Record<ReactionKind, string> = {
  welcomed: 'welcomed',
  condemned: 'condemned',
  conditional: 'set conditions on',
  noted: 'took note of',
  rejected: 'rejected',
  agreed: 'agreed to',
};

/**
 * A reaction in words, as the summary and the page say it: "welcomed the withdrawal by the United
 * States of the US third site". `party` names a party in a sentence.
 */
export function reactionText(reaction: Pick<ReactionView, 'reaction' | 'to'>, party: (slug: string) => string): string {
  return `${REACTION_VERB[reaction.reaction]} ${decisionPhrase(reaction.to, party, reaction.to.title)}`;
}

/** A decision as a summary names it: "the withdrawal by the United States of the US third site". */
function decisionPhrase(to: ReactionLinkView, party: (slug: string) => string, itemTitle?: string): string {
  const by = party(to.by);
  const what = itemTitle ? shortTitle(itemTitle) : to.what;
  switch (to.decision) {
    case 'withdrawal':
      return `the withdrawal by ${by} of ${what}`;
    case 'threat':
      return `the threat by ${by} to ${to.what || what}`;
    case 'agreement':
      return `the agreement by ${by} on ${what}`;
    case 'concession':
      return `the concession by ${by} on ${to.what}`;
    case 'endorsement':
      return `the endorsement by ${by} of ${what}`;
    case 'action':
      return `the decision by ${by} to ${to.what}`;
  }
}

/** The part of an item title before any colon: "the US third site: 10 interceptors..." -> "the US third site". */
function shortTitle(title: string): string {
  return title.split(':')[0].trim();
}

/** How a closed record reads in a summary: "withdrew its threat to ...", "saw its demand ... refused by ...". */
function closedClause(c: ClosedView, party: string, names: Names, titleOf: (c: ClosedView) => string): string {
  const what =
    c.record === 'threat'
      ? `threat to ${c.what}`
      : c.record === 'demand'
        ? c.evidence.type === 'freeze_demand'
          ? `demand that ${list(c.targets.map(names.party))} freeze ${titleOf(c)}`
          : `demand on ${titleOf(c)}`
        : `proposal on ${titleOf(c)}`;
  const own = c.closed.party === party;
  const who = names.party(c.closed.party);
  const on = longDate(c.closed.on);
  switch (c.status) {
    case 'withdrawn':
      return own ? `withdrew its ${what} on ${on}` : `saw its ${what} withdrawn by ${who} on ${on}`;
    case 'refused':
      return `had its ${what} refused by ${who} on ${on}`;
    case 'met':
      return `had its ${what} met by ${who} on ${on}`;
    case 'accepted':
      return `had its ${what} accepted by ${who} on ${on}`;
    case 'conceded':
      return `backed down on its ${what} on ${on}`;
    case 'superseded':
      return `restated its ${what} on ${on}`;
    case 'moot':
      return `saw its ${what} made moot by ${who} on ${on}`;
  }
}

/** Closures that are turning points: within this many days before `at` they lead the summary. */
export const TURNING_POINT_DAYS = 92;

/** An element's kind: its key up to the first colon ("closed-on:<id>" -> "closed-on", "topic-stance"). */
export const elementKind = (key: string): string => key.split(':')[0];

/**
 * Which kinds of element the summary (and the stance) may read, by kind alone (summaryReads
 * decides each element): `always` at any date, `recent` only when the stored version began within
 * TURNING_POINT_DAYS before `at` (a closure, signing or reaction never begins before the day it
 * happened), never the others (trails, answers to others' proposals, reactions to the party). A
 * reader that fetches only these (the compact view, in SQL) fetches a superset of what
 * summaryReads reads; a property test holds the two together.
 */
export const SUMMARY_READ_KINDS = {
  always: [
    'item',
    'topic-stance',
    'proposal',
    'demand',
    'demand-on',
    'threat',
    'concession',
    'last-change',
    'last-affecting',
  ],
  recent: ['closed', 'closed-on', 'act', 'reaction'],
} as const;

/**
 * What the summary (and the stance) of a position read of an element, so that a reader that
 * needs only those (the compact view) fetches no other evidence card: 'whole' (the element with
 * its evidence, which orders lists and dates signings), 'body' (stances: ordered by the catalog,
 * their evidence unused), 'none' (trails, answers to others' proposals, actions, and closures and
 * signings older than the turning-point window). `since` is the day the stored version began: a
 * signing's version never begins before the signing ends. Kept beside summaryClauses, whose reads
 * it follows; the corpus e2e test compares compact lines with full positions at many dates.
 */
export function summaryReads(key: string, body: ElementBody, at: string, since: string): 'whole' | 'body' | 'none' {
  if (key.startsWith('item:') || key === ElementKey.stance(WHOLE_TOPIC)) return 'body';
  if (key.startsWith('was:') || key.startsWith('response:')) return 'none';
  if (key.startsWith('closed:') || key.startsWith('closed-on:'))
    return daysBetween((body as { closed: { on: string } }).closed.on, at) <= TURNING_POINT_DAYS ? 'whole' : 'none';
  if (key.startsWith('reaction:')) return daysBetween(since, at) <= TURNING_POINT_DAYS ? 'whole' : 'none';
  if (key.startsWith('reaction-on:')) return 'none';
  if (key.startsWith('act:'))
    return (body as { kind: string }).kind === 'agreement' && daysBetween(since, at) <= TURNING_POINT_DAYS
      ? 'whole'
      : 'none';
  return 'whole';
}

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

/** About how many words a summary may take (docs/architecture.md, "Positions"). */
const SUMMARY_WORDS = 60;

const daysBetween = (from: string, to: string) => (Date.parse(to) - Date.parse(from)) / 86_400_000;
const wordCount = (text: string) => text.split(/\s+/).filter(Boolean).length;

/**
 * A plain-English sentence built from the structure, e.g. "As of 8 June 2007, Russia withdrew its
 * threat to aim missiles at Europe on 7 June 2007, opposed the US third site and had on the table
 * joint use of the Gabala radar." Turning points (records closed in the three months before `at`,
 * latest first; signings) lead, then the standing position: stances, demands, threats, what is on
 * the table. Clauses are added while the sentence stays within about 60 words. Each item appears
 * under one stance only (a party has one current stance per item), so it cannot contradict itself.
 */
export function summarize(position: PositionCore, at: string, names: Names, knownAt?: string): string {
  const who = names.party(position.party);
  const when = `As of ${longDate(at)}${knownAt ? `, as publicly known on ${longDate(knownAt.slice(0, 10))}` : ''}`;
  // The budget leaves out "as publicly known on K": the same events give the same clauses, known-at or not.
  const budget = SUMMARY_WORDS - wordCount(`As of ${longDate(at)}, ${who}`);
  const clauses = summaryClauses(position, at, names, budget).map((c) => c.text);
  if (clauses.length === 0)
    return `${when}, ${who} had taken no recorded position on ${titleInSentence(names.topic(position.topic))}.`;
  return `${when}, ${who} ${joinNames(clauses)}.`;
}

/** "a", "a and b", "a, b, and c". */
function joinNames(parts: readonly string[]): string {
  return parts.length <= 2 ? parts.join(' and ') : `${parts.slice(0, -1).join(', ')}, and ${parts[parts.length - 1]}`;
}

/** One clause of a summary, with the items it names and, where it states one, the party's stance on them. */
export interface SummaryClause {
  readonly text: string;
  readonly items: readonly string[];
  readonly stance?: ItemStance;
}

/** The clauses of a summary, turning points first, within about `budget` words (summarize joins them). */
export function summaryClauses(position: PositionCore, at: string, names: Names, budget: number): SummaryClause[] {
  const titleOf = new Map(position.items.map((i) => [i.item, shortTitle(i.title)]));
  const recordTitle = (c: { item?: string; title?: string; what: string }) =>
    c.item ? (titleOf.get(c.item) ?? shortTitle(c.title ?? c.item)) : c.what;
  const about = (item: string | undefined) => (item ? [item] : []);
  const turning: SummaryClause[] = [];
  // The party's own reactions to other parties' decisions lead, latest first ("welcomed the
  // withdrawal by the United States of ..."): what it said of a turning point, before what it underwent.
  for (const r of position.reactions
    .filter((r) => daysBetween(r.evidence.occurred.to, at) <= TURNING_POINT_DAYS)
    .reverse()) {
    turning.push({ text: `${reactionText(r, names.party)} on ${longDate(r.evidence.occurred.to)}`, items: [] });
  }
  const recent = [...position.closed, ...position.closedConcerningParty].filter(
    (c) => c.status !== 'superseded' && daysBetween(c.closed.on, at) <= TURNING_POINT_DAYS,
  );
  /** Items a turning point already gives the party's stance on (an agreement, a withdrawn or conceded proposal). */
  const stated = new Set<string>();
  for (const c of recent.filter((c) => c.by === position.party)) {
    const withdrawn = c.record === 'proposal' && c.item && (c.status === 'withdrawn' || c.status === 'conceded');
    turning.push({
      text: closedClause(c, position.party, names, recordTitle),
      items: about(c.item),
      ...(withdrawn ? { stance: 'withdrawn' as const } : {}),
    });
    if (withdrawn) stated.add(c.item);
  }
  // New proposals of the party lead what it keeps standing: an offer made days ago is the news of the
  // date (Putin's Gabala offer on 8 June 2007), not one more item of "had on the table".
  for (const p of position.openProposals.filter(
    (p) => daysBetween(p.evidence.occurred.to, at) <= TURNING_POINT_DAYS && !stated.has(p.item),
  )) {
    if ((position.items.find((i) => i.item === p.item)?.stance ?? 'proposer') !== 'proposer') continue;
    turning.push({
      text: `proposed ${shortTitle(p.title)} on ${longDate(p.evidence.occurred.to)}`,
      items: [p.item],
      stance: 'proposer',
    });
    stated.add(p.item);
  }
  for (const c of recent.filter((c) => c.by !== position.party && c.closed.party === position.party)) {
    // What the party did to another's record (a proposal it accepted, a demand it refused or met).
    const verb = c.status === 'refused' || c.status === 'met' || c.status === 'accepted' ? c.status : 'closed';
    const asked = c.record === 'proposal' ? 'proposed' : c.record === 'threat' ? 'threatened' : 'demanded';
    const who = names.party(c.by);
    const on = longDate(c.closed.on);
    // Where the party's stance on the item is its answer (it accepted the talks another proposed,
    // or opposed what it refused), one clause says both: the item is not said again below. (This
    // clause said "closed the demand" of every record, a proposal accepted included.)
    const stance = c.item && !stated.has(c.item) ? position.items.find((i) => i.item === c.item)?.stance : undefined;
    const agreed = verb !== 'refused' && (stance === 'accepted' || stance === 'supports');
    const refused = verb === 'refused' && (stance === 'rejected' || stance === 'opposes');
    turning.push({
      text: agreed
        ? `${STANCE_VERB[stance]} ${recordTitle(c)}, as ${who} ${asked}, on ${on}`
        : `${verb} the ${c.record} of ${who} on ${recordTitle(c)} on ${on}`,
      items: about(c.item),
      ...(agreed || refused ? { stance } : {}),
    });
    if (agreed || refused) stated.add(c.item!);
  }
  for (const act of position.acts.filter(
    (a) => a.kind === 'agreement' && daysBetween(a.evidence.occurred.to, at) <= TURNING_POINT_DAYS,
  )) {
    if (act.item && stated.has(act.item)) continue; // one clause per item
    if (act.item) stated.add(act.item);
    const what = act.item ? (titleOf.get(act.item) ?? act.description) : act.description;
    const others = (act.signers ?? []).filter((p) => p !== position.party).map((p) => names.party(p));
    turning.push({
      text: others.length ? `signed ${what} with ${joinNames(others)}` : `agreed to ${what}`,
      items: about(act.item),
      stance: 'accepted',
    });
  }

  const standing: SummaryClause[] = [];
  const byVerb = new Map<string, { stance: ItemStance; items: string[]; titles: string[] }>();
  for (const item of position.items) {
    if (stated.has(item.item)) continue; // never two stances of the party on one item
    const verb = STANCE_VERB[item.stance];
    if (!verb) continue;
    const group = byVerb.get(verb) ?? { stance: item.stance, items: [], titles: [] };
    group.items.push(item.item);
    group.titles.push(shortTitle(item.title));
    byVerb.set(verb, group);
  }
  for (const [verb, group] of byVerb)
    standing.push({ text: `${verb} ${list(group.titles)}`, items: group.items, stance: group.stance });
  if (position.topicStance && STANCE_VERB[position.topicStance.stance] && byVerb.size === 0) {
    standing.push({
      text: `${STANCE_VERB[position.topicStance.stance]} ${titleInSentence(names.topic(position.topic))}`,
      items: [],
    });
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
    standing.push({
      text:
        demand.kind === 'freeze_demand'
          ? `demanded that ${on} freeze ${what}${condition ? ` ${condition}` : ''}`
          : `demanded of ${on}: ${demand.what}`,
      items: about(demand.item),
    });
  }
  for (const threat of position.activeThreats)
    standing.push({
      text: `threatened to ${threat.counterMeasure}${threat.condition ? ` ${threat.condition}` : ''}`,
      items: about(threat.item),
    });
  const pending = position.demandsOnParty.filter((d) => !d.responses.some((r) => r.party === position.party));
  if (pending.length)
    standing.push({
      text: `faced ${pending.length === 1 ? 'a demand' : `${pending.length} demands`} from ${list([...new Set(pending.map((d) => names.party(d.by)))])}`,
      items: [],
    });
  const offered = position.concessions.filter((c) => !c.backsDownOn);
  if (offered.length)
    standing.push({
      text: `had conceded ${list(offered.map((c) => c.terms))}`,
      items: offered.flatMap((c) => about(c.item)),
    });
  // What the party has on the table, where that is its stance: a party that later opposed its own
  // open proposal, or withdrew another proposal of the item, has its latest stance said instead.
  const stanceOn = new Map(position.items.map((i) => [i.item, i.stance]));
  const onTable = position.openProposals.filter(
    (p) => !stated.has(p.item) && (stanceOn.get(p.item) ?? 'proposer') === 'proposer',
  );
  if (onTable.length) {
    standing.push({
      text: `had on the table ${list([...new Set(onTable.map((p) => shortTitle(p.title)))])}`,
      items: [...new Set(onTable.map((p) => p.item))],
      stance: 'proposer',
    });
  }

  // In order while they fit; a clause too long for what is left gives way to shorter ones after it.
  const clauses: SummaryClause[] = [];
  let used = 0;
  for (const clause of [...turning, ...standing]) {
    const words = wordCount(clause.text) + 1;
    if (clauses.length > 0 && used + words - 1 > budget) continue;
    clauses.push(clause);
    used += words;
  }
  return clauses;
}

/**
 * A topic's title inside a sentence: a leading article is lower-cased ("The Treaty on Conventional
 * Armed Forces in Europe" -> "had taken no recorded position on the Treaty on ..."). The rest is
 * left as written: a title's first word may be a name ("NATO enlargement", "Iran's programme").
 */
export function titleInSentence(title: string): string {
  return title.replace(/^(The|A|An) /, (article) => article.toLowerCase());
}

/** "United States" -> "the United States" inside a sentence. */
export function inSentence(name: string): string {
  return /^(United |Czech Republic|Netherlands|Philippines|European Union|Group of)/.test(name) ? `the ${name}` : name;
}
