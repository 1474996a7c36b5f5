import type {
  Restated,
  ActState,
  Closure,
  RecordKind,
  ReplacedStance,
  ConcessionState,
  DemandState,
  Evidence,
  EvidenceLookup,
  EvidenceRef,
  ItemState,
  ProposalState,
  ReactionState,
  DemandResponse,
  Response,
  StanceEntry,
  ThreatState,
  TopicState,
} from '../records/topic-state.js';
import { WHOLE_TOPIC } from '../records/topic-state.js';
import type { RecordRef } from '../records/evolve.js';

/**
 * Elements: a position cut into keyed pieces, each built from one record of the state.
 *
 * The temporal projection stores these pieces with the days they held. A piece depends on one
 * record only (a proposal, a demand, a stance...), so after an event only the pieces of the
 * records it touched are rebuilt and compared. Pieces built from a fold name their evidence by
 * reference (EvidenceRef); withEvidence puts the evidence in before they are stored or shown.
 * position.ts puts a position together from them.
 */

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
  threatOn: (id: string) => `threat-on:${id}`,
  closed: (id: string) => `closed:${id}`,
  closedOn: (id: string) => `closed-on:${id}`,
  concession: (id: string) => `concession:${id}`,
  act: (id: string) => `act:${id}`,
  /**
   * An agreement is an act with a kind of key of its own: the summary reads every agreement in
   * force however old, actions only for a year, and a reader that fetches by key (the compact view)
   * can then select agreements in the index, not by looking inside every act's body.
   */
  agreement: (id: string) => `agreement:${id}`,
  reaction: (id: string) => `reaction:${id}`,
  reactionOn: (id: string) => `reaction-on:${id}`,
  stance: (item: string) => (item === WHOLE_TOPIC ? 'topic-stance' : `item:${item}`),
  replaced: (item: string, evidence: EvidenceRef) => `was:${item}:${evidence}`,
  lastChange: 'last-change',
  lastChangeAffecting: 'last-affecting',
  title: (item: string) => `title:${item}`,
} as const;

/**
 * Who owns the elements that are the topic's own rather than a party's: its items' titles as the
 * events gave them, each over the days it held (DESIGN section 4: a title that did not exist at a
 * date does not appear there). A party slug never starts with "#", so no party can be it.
 */
export const TOPIC_ITSELF = '#topic';

/** An item's title as an element of the topic, where the events gave it one (a title that is the slug says nothing). */
const titleElement = (item: ItemState, emit: Emit) => {
  if (item.title !== item.slug) emit(TOPIC_ITSELF, ElementKey.title(item.slug), { title: item.title });
};

/** Fields of element bodies that link to another record (RecordLink). */
export const LINK_FIELDS = ['to', 'meets', 'backsDownOn', 'accepts', 'carriesOut'] as const;

/** The records a restatement superseded, each named by what it said (a link names what it points to) and its event. */
const restatesBody = (restates: readonly Restated[] | undefined) =>
  restates?.length ? { restates: restates.map(({ what, evidence }) => ({ what, evidence })) } : {};

/** A party's answer to a record, with its earlier answers to it. */
const answerBody = (r: Response | DemandResponse) => ({
  party: r.party,
  response: r.response,
  ...(r.reason ? { reason: r.reason } : {}),
  evidence: r.evidence,
  countsFrom: r.countsFrom,
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
    countsFrom: d.countsFrom,
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
    countsFrom: p.countsFrom,
  };
}

const closureBody = (c: Closure) => ({ status: c.status, on: c.on, party: c.party, evidence: c.by });

/** A closed record as its author's `closed` list (and a demand's or threat's targets) show it. */
function closedBody(kind: RecordKind, record: ProposalState | DemandState | ThreatState, closure: Closure) {
  const common = {
    record: kind,
    eventId: record.eventId,
    by: record.actor,
    ...(record.item ? { item: record.item } : {}),
    status: closure.status,
    closed: closureBody(closure),
    ...(record.laterWithdrawals ? { withdrawnLater: record.laterWithdrawals.map(closureBody) } : {}),
    countsFrom: record.countsFrom,
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
    countsFrom: r.countsFrom,
  };
}

function threatBody(t: ThreatState) {
  return {
    eventId: t.eventId,
    by: t.actor,
    targets: t.targets,
    ...(t.item ? { item: t.item } : {}),
    counterMeasure: t.counterMeasure,
    ...(t.condition ? { condition: t.condition } : {}),
    evidence: t.evidence,
    countsFrom: t.countsFrom,
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
    countsFrom: c.countsFrom,
  };
}

/** A closed concession as its author's `closed` list shows it: as a closed record, with what it met or backed down on. */
function closedConcessionBody(c: ConcessionState, closure: Closure) {
  return {
    record: 'concession',
    eventId: c.eventId,
    by: c.actor,
    ...(c.item ? { item: c.item } : {}),
    status: closure.status,
    closed: closureBody(closure),
    targets: c.targets,
    what: c.terms,
    responses: [],
    ...(c.meets ? { meets: c.meets } : {}),
    ...(c.backsDownOn ? { backsDownOn: c.backsDownOn } : {}),
    evidence: c.evidence,
    countsFrom: c.countsFrom,
  };
}

function actBody(a: ActState) {
  return {
    eventId: a.eventId,
    kind: a.kind,
    targets: a.targets,
    ...(a.cosigners?.length ? { signers: [a.actor, ...a.cosigners] } : {}),
    ...(a.signed ? { signed: true } : {}),
    ...(a.left?.length
      ? { left: a.left.map((l) => ({ party: l.party, on: l.closure.on, evidence: l.closure.by })) }
      : {}),
    ...(a.item ? { item: a.item } : {}),
    description: a.description,
    ...(a.accepts ? { accepts: a.accepts } : {}),
    ...(a.carriesOut ? { carriesOut: a.carriesOut } : {}),
    evidence: a.evidence,
    countsFrom: a.countsFrom,
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
    countsFrom: r.countsFrom,
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
/**
 * A record that others are in: in its author's position under its own kind (`own`), and in those of
 * the parties it concerns under the kind for them (`on`) while it stands; once closed, under
 * `closed` and `closed-on`, with one body for all.
 */
function standingOrClosed(
  record: { readonly actor: string; readonly eventId: string },
  concerns: Iterable<string>,
  closed: ElementBody | undefined,
  open: { readonly own: (id: string) => string; readonly on: (id: string) => string; readonly body: () => ElementBody },
  emit: Emit,
) {
  const [body, own, on] =
    closed === undefined ? [open.body(), open.own, open.on] : [closed, ElementKey.closed, ElementKey.closedOn];
  emit(record.actor, own(record.eventId), body);
  for (const party of concerns) if (party !== record.actor) emit(party, on(record.eventId), body);
}
/** A demand is in its author's position and in those of the parties it is made of, or that answered it. */
const demandElements = (d: DemandState, emit: Emit) =>
  standingOrClosed(
    d,
    new Set([...d.targets, ...Object.keys(d.responses)]),
    d.closed && closedBody('demand', d, d.closed),
    { own: ElementKey.demand, on: ElementKey.demandOn, body: () => demandBody(d) },
    emit,
  );
/**
 * A threat is in its author's position and in those of the parties it is made against, as a
 * demand is in those it is made of: a target's position whose last change was the threat listed
 * it nowhere. Once closed, it is in the targets' `closedConcerningParty`.
 */
const threatElements = (t: ThreatState, emit: Emit) =>
  standingOrClosed(
    t,
    new Set(t.targets),
    t.closed && closedBody('threat', t, t.closed),
    { own: ElementKey.threat, on: ElementKey.threatOn, body: () => threatBody(t) },
    emit,
  );
/** A concession is in its author's position: standing, or, once moot, among its closed records. */
const concessionElements = (c: ConcessionState, emit: Emit) =>
  c.closed
    ? emit(c.actor, ElementKey.closed(c.eventId), closedConcessionBody(c, c.closed))
    : emit(c.actor, ElementKey.concession(c.eventId), concessionBody(c));
/** An act is in its actor's position, and an agreement in each co-signer's too. */
const actElements = (a: ActState, emit: Emit) => {
  const body = actBody(a);
  const key = a.kind === 'agreement' ? ElementKey.agreement(a.eventId) : ElementKey.act(a.eventId);
  for (const party of [a.actor, ...(a.cosigners ?? [])]) emit(party, key, body);
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
    case 'title':
      if (state.items[record.id]) titleElement(state.items[record.id], emit);
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
  if (!onlyParty || onlyParty === TOPIC_ITSELF) Object.values(state.items).forEach((i) => titleElement(i, emit));
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
  records(before.items, after.items, titleElement);
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

/** Fields of element bodies that hold an evidence reference (`answers`: the retracted record an answer answered). */
const EVIDENCE_FIELDS = new Set(['evidence', 'retraction', 'answers']);

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

/** An element's kind: its key up to the first colon ("closed-on:<id>" -> "closed-on", "topic-stance"). */
export const elementKind = (key: string): string => key.split(':')[0];
