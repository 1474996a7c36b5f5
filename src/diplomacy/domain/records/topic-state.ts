import type { Occurred, Source, Speaker, StatedStance } from '../events/events.js';

/**
 * Names the event behind a record, as folds keep it: the event id, followed by `+` and the id of
 * the correction that counts for it, if one does. Keeping the id instead of the whole evidence
 * makes a cached fold about four times smaller. The evidence itself (below, evidenceOf) is
 * looked up where a position is built: the projection embeds it in the rows it stores, and folds
 * of events in hand (knownAt, replay, changes) find it with evidenceIn.
 */
export type EvidenceRef = string;

export function evidenceRef(eventId: string, correctedBy?: string): EvidenceRef {
  return correctedBy ? `${eventId}+${correctedBy}` : eventId;
}

export function parseEvidenceRef(ref: EvidenceRef): { eventId: string; correctedBy?: string } {
  const [eventId, correctedBy] = ref.split('+');
  return correctedBy ? { eventId, correctedBy } : { eventId };
}

/** Finds the evidence a reference names; every reader of positions supplies one. */
export type EvidenceLookup = (ref: EvidenceRef) => Evidence;

/** What backs every element of a position: the event, its three clocks and its provenance. */
export interface Evidence {
  readonly eventId: string;
  readonly type: string;
  readonly actor: string;
  readonly occurred: Occurred;
  readonly reportedAt: string;
  readonly speaker?: Speaker;
  readonly quote?: string;
  readonly summary: string;
  readonly source: Source;
  /** Set when a correction (counted at the asked knownAt) changed this record. */
  readonly correctedBy?: string;
  /** Other sources that reported the same event (`report` events known at the asked knownAt), oldest first. */
  readonly reports?: readonly ReportCard[];
  /** With reports: how many different publishers reported it, its own source included. */
  readonly corroboration?: number;
}

/** Another source's report of an event, as its card lists it. */
export interface ReportCard {
  readonly eventId: string;
  readonly reportedAt: string;
  readonly source: Source;
  readonly speaker?: Speaker;
  readonly quote?: string;
  readonly note?: string;
}

/** A party's stance on one item: the scale in docs/architecture.md ("Events"), "neutral" and "withdrawn" included. */
export type ItemStance = 'proposer' | StatedStance | 'rejected' | 'accepted' | 'withdrawn' | 'unknown';

/** A stance a party held on an item from `since` (the day its event counts) until the next one. */
export interface StanceEntry {
  readonly stance: ItemStance;
  readonly reason?: string;
  /** The day the event behind it counts from (order.ts, placeOf): never before it happened, never after it was reported. */
  readonly since: string;
  readonly evidence: EvidenceRef;
}

export type ResponseKind = 'accepted' | 'rejected' | 'endorsed' | StatedStance;

export interface Response {
  readonly party: string;
  readonly response: ResponseKind;
  readonly reason?: string;
  readonly evidence: EvidenceRef;
  /** The day the answer counts from (order.ts, placeOf: no earlier than the record it answers). */
  readonly countsFrom: string;
  /** The party's earlier explicit answers to the same record (rejections, concessions, signings), oldest first. */
  readonly earlier?: readonly EarlierAnswer[];
}

/** An answer to a demand: as to a proposal, or by conceding what it asked. */
export interface DemandResponse extends Omit<Response, 'response'> {
  readonly response: ResponseKind | 'conceded';
}

/** An answer a party gave to a record before its latest one: kept, so a repeated refusal forgets nothing. */
export interface EarlierAnswer {
  readonly response: ResponseKind | 'conceded';
  readonly reason?: string;
  readonly evidence: EvidenceRef;
  /** The day it counts from, as a Response's. */
  readonly countsFrom: string;
}

/**
 * How a record stopped standing (docs/architecture.md, "Records and their lifecycle"); `carried-out`:
 * a threat its author carried out (an action naming it).
 */
export type ClosedStatus =
  'accepted' | 'refused' | 'met' | 'withdrawn' | 'conceded' | 'superseded' | 'moot' | 'carried-out';

/** What closed a record: how, the day (the closing event's end), which event, and whose event it was. */
export interface Closure {
  readonly status: ClosedStatus;
  readonly on: string;
  readonly by: EvidenceRef;
  readonly party: string;
}

export interface ItemState {
  readonly slug: string;
  readonly title: string;
  readonly proposer?: string;
  /** The item this one belongs to (observers at the sites belong to the third site): its end moots this one's records. */
  readonly parent?: string;
  /** Set when its proposer withdrew it: records about it or its sub-items became moot then. */
  readonly ended?: Closure;
}

/**
 * How each kind of record can close: a proposal is accepted, withdrawn, conceded (its proposer
 * backed down), superseded (restated) or moot; a demand refused, met, withdrawn, superseded or
 * moot; a threat withdrawn, carried out (its author's action names it) or moot. A record with no
 * closure stands: an open proposal, an active demand or threat. A refused demand can still be met or withdrawn; every other closure is final.
 */
export type RecordStatus = 'open' | 'active' | ClosedStatus;

export interface ProposalState {
  readonly eventId: string;
  readonly actor: string;
  readonly item: string;
  readonly terms: string;
  readonly addressees: readonly string[];
  readonly responses: Readonly<Record<string, Response>>;
  readonly evidence: EvidenceRef;
  /** The day it counts from (order.ts, lastPossibleDay): an answer counts no earlier. */
  readonly countsFrom: string;
  /** Earlier proposals of the same party on the same item that this one restates (they are superseded). */
  readonly restates?: readonly Restated[];
  /**
   * Parties that signed an agreement to it. It is accepted once every addressee has: a later
   * statement changes a party's answer (`responses`), not its signature.
   */
  readonly agreedBy?: readonly string[];
  readonly closed?: Closure;
  /** Withdrawals by its author that came after it had closed for good (a late report put one behind the other). */
  readonly laterWithdrawals?: readonly Closure[];
}

/** An earlier record of the same author that a restatement superseded: its event and what it said (its terms, or what it demanded). */
export interface Restated {
  readonly evidence: EvidenceRef;
  readonly what: string;
}

export interface DemandState {
  readonly eventId: string;
  readonly kind: 'freeze_demand' | 'demand';
  readonly actor: string;
  readonly targets: readonly string[];
  readonly item?: string;
  /** The action to freeze, or what is demanded. */
  readonly what: string;
  readonly condition?: string;
  readonly responses: Readonly<Record<string, DemandResponse>>;
  readonly evidence: EvidenceRef;
  /** The day it counts from, as a proposal's. */
  readonly countsFrom: string;
  /** Earlier identical demands of the same party that this one restates (they are superseded). */
  readonly restates?: readonly Restated[];
  readonly closed?: Closure;
  /** Withdrawals by its author that came after it had closed for good (a late report put one behind the other). */
  readonly laterWithdrawals?: readonly Closure[];
}

export interface ThreatState {
  readonly eventId: string;
  readonly actor: string;
  readonly targets: readonly string[];
  readonly item?: string;
  readonly counterMeasure: string;
  readonly condition?: string;
  readonly evidence: EvidenceRef;
  /** The day it counts from, as a proposal's. */
  readonly countsFrom: string;
  readonly closed?: Closure;
  /** Withdrawals by its author that came after it had closed for good (a late report put one behind the other). */
  readonly laterWithdrawals?: readonly Closure[];
}

export interface ConcessionState {
  readonly eventId: string;
  readonly actor: string;
  /** The parties it was made to (its event's targets): a closed concession names them as other closed records do. */
  readonly targets: readonly string[];
  /** What it is about: its own item, else that of the record it names (the demand it meets, the proposal it backs down on). */
  readonly item?: string;
  readonly terms: string;
  /** The demand this concession meets, if it answers one. */
  readonly meets?: RecordLink;
  /** The party's own proposal this concession backs down on, if it does. */
  readonly backsDownOn?: RecordLink;
  readonly evidence: EvidenceRef;
  /** The day it counts from (order.ts, placeOf): an answer to it may make it earlier than its own last possible day. */
  readonly countsFrom: string;
  /**
   * Set when what it was about ended (its item, or the plan above it, was withdrawn: DESIGN
   * section 4, "Cascade"): it is moot from then, or from its own day if the item had ended before.
   */
  readonly closed?: Closure;
}

export interface ActState {
  readonly eventId: string;
  readonly kind: 'action' | 'agreement';
  readonly actor: string;
  readonly targets: readonly string[];
  /** For an agreement: the other parties that signed it with the actor (each position shows it). */
  readonly cosigners?: readonly string[];
  /** For an agreement: signed (CAMEO 057), not only agreed in words (019). */
  readonly signed?: boolean;
  /** For an agreement: its signers' withdrawals from it (the United States leaving the JCPOA), in fold order. */
  readonly left?: readonly SignerWithdrawal[];
  readonly item?: string;
  readonly description: string;
  /** For an agreement: the proposal it accepts. */
  readonly accepts?: RecordLink;
  /** For an action: its actor's threat that it carried out (closed as `carried-out` by it). */
  readonly carriesOut?: RecordLink;
  readonly evidence: EvidenceRef;
  /** The day it counts from (order.ts, placeOf): an answer to it may make it earlier than its own last possible day. */
  readonly countsFrom: string;
}

/**
 * Events a party can react to that are no record of the lifecycle: decisions (a withdrawal, an
 * action, an agreement, a concession, an endorsement) and threats (a record, but one nobody answers
 * by accepting or refusing it). Proposals and demands get answers (responses) instead.
 */
export type DecisionKind = 'withdrawal' | 'action' | 'agreement' | 'concession' | 'endorsement';
export type ReactedTo = DecisionKind | 'threat';

/**
 * What a fold keeps of a decision so that a later reaction can name it: who decided what, about
 * which item, and its place in the topic's order (a reaction folds after it: order.ts).
 */
export interface DecisionState {
  readonly kind: DecisionKind;
  readonly actor: string;
  readonly item?: string;
  /** What was decided: the act, the terms, or what the withdrawal took back. */
  readonly what: string;
  /** For a withdrawal: the kind of record it took back (a threat is not a plan). */
  readonly record?: RecordKind;
  /** The day it counts from (an answer counts no earlier than what it answers). */
  readonly countsFrom: string;
  /** How deep in a chain of answers it is (OrderKey.depth). */
  readonly depth: number;
}

/** A link to the decision (or threat) a reaction is about, naming it as RecordLink names a record. */
export interface ReactionLink {
  readonly event: string;
  readonly decision: ReactedTo;
  readonly by: string;
  readonly item?: string;
  readonly what: string;
  /** For a withdrawal: the kind of record it took back ("the withdrawal by Russia of its threat to ..."). */
  readonly record?: RecordKind;
}

/**
 * How a party met another party's decision (DESIGN section 3: "Russia welcomes the US decision to
 * drop the plan"): a statement of support welcomes it, of opposition condemns it; a rejection
 * rejects it; an agreement agrees to it. It is a stance toward the decision, not toward its item:
 * welcoming the withdrawal of a plan is not supporting the plan.
 */
export type ReactionKind = 'welcomed' | 'condemned' | 'conditional' | 'noted' | 'rejected' | 'agreed';

export interface ReactionState {
  readonly eventId: string;
  readonly actor: string;
  readonly reaction: ReactionKind;
  readonly reason?: string;
  readonly to: ReactionLink;
  /** The parties the reaction concerns (the event's targets: the decision's author among them). */
  readonly concerns: readonly string[];
  readonly evidence: EvidenceRef;
  /** The day it counts from (order.ts, placeOf): an answer to it may make it earlier than its own last possible day. */
  readonly countsFrom: string;
}

/** A signer's withdrawal from an agreement: the party, and the closure its withdrawal set for it. */
export interface SignerWithdrawal {
  readonly party: string;
  readonly closure: Closure;
}

/** A stance that a later one of the same party on the same item replaced: the stance trail. */
export interface ReplacedStance {
  readonly party: string;
  readonly item: string;
  readonly entry: StanceEntry;
  /** The day the next stance counts from. */
  readonly until: string;
}

/**
 * What a fold keeps of a closed record once nothing can change or show it again
 * (TopicFold.forgetHistory): enough for decide and for the answers and withdrawals that still name it.
 */
export interface SettledRecord {
  readonly kind: RecordKind;
  readonly actor: string;
  readonly item?: string;
  /** A proposal's terms: a later agreement that names it still says what was agreed. */
  readonly terms?: string;
  readonly closed: Closure;
  /** Its author's withdrawals after its closure: decide refuses a second withdrawal of a record its author withdrew. */
  readonly laterWithdrawals?: readonly Closure[];
  /** The day it counts from, as it had while open: an answer to it still counts no earlier. */
  readonly countsFrom: string;
}

/** Key of a party's stance on the topic as a whole (a statement that names no item). */
export const WHOLE_TOPIC = '*';

/** Everything the events of one topic add up to: the left side of `evolve`. */
export interface TopicState {
  readonly topic: string;
  readonly items: Readonly<Record<string, ItemState>>;
  readonly proposals: Readonly<Record<string, ProposalState>>;
  readonly demands: Readonly<Record<string, DemandState>>;
  readonly threats: Readonly<Record<string, ThreatState>>;
  readonly concessions: readonly ConcessionState[];
  readonly acts: readonly ActState[];
  /** Reactions to decisions and threats, in fold order. */
  readonly reactions: readonly ReactionState[];
  /** Decisions by event id: a reaction may name one at any later date (a writer's fold lets go of them: forgottenBy). */
  readonly decisions: Readonly<Record<string, DecisionState>>;
  /** Closed records a fold has let go of (TopicFold.forgetHistory), by event id. */
  readonly settled: Readonly<Record<string, SettledRecord>>;
  /** party -> item slug (or WHOLE_TOPIC) -> latest stance */
  readonly stances: Readonly<Record<string, Readonly<Record<string, StanceEntry>>>>;
  /** Stances that later ones replaced, in the order they were replaced. */
  readonly replacedStances: readonly ReplacedStance[];
  /** party -> its own latest counted event on the topic */
  readonly lastChange: Readonly<Record<string, EvidenceRef>>;
  /** party -> the latest counted event, anyone's, that changed its position */
  readonly lastChangeAffecting: Readonly<Record<string, EvidenceRef>>;
  /** Parties engaged in the topic (actor or target of a counted event), in order of appearance. */
  readonly parties: readonly string[];
}

export function emptyTopicState(topic: string): TopicState {
  return {
    topic,
    items: {},
    proposals: {},
    demands: {},
    threats: {},
    concessions: [],
    acts: [],
    reactions: [],
    decisions: {},
    settled: {},
    stances: {},
    replacedStances: [],
    lastChange: {},
    lastChangeAffecting: {},
    parties: [],
  };
}

/** A proposal, demand or threat as the state holds it now: whole, or settled. */
export function recordOf(
  state: TopicState,
  id: string,
): ProposalState | DemandState | ThreatState | SettledRecord | undefined {
  return state.proposals[id] ?? state.demands[id] ?? state.threats[id] ?? state.settled[id];
}

/**
 * The record that stands for `id` now: the record itself or, where a restatement superseded it,
 * the restatement in its place (followed to the last). A withdrawal of `id` takes that one back.
 */
export function headOf(state: TopicState, id: string): string {
  let current = id;
  for (let seen = 0; seen < 1000; seen++) {
    const closed = recordOf(state, current)?.closed;
    if (closed?.status !== 'superseded') return current;
    current = parseEvidenceRef(closed.by).eventId;
  }
  return current;
}

/**
 * Whether a fold may lack what an answer to `id` reads: a record it settled, or anything it does
 * not hold whole (a decision that a fold which forgot its history let go of: TopicFold.forgetHistory).
 * Only a refold has them whole; a fold that never forgot holds every decision and record.
 */
export function forgottenBy(state: TopicState, id: string): boolean {
  if (state.settled[id] !== undefined) return true;
  return !(id in state.decisions || id in state.proposals || id in state.demands || id in state.threats);
}

/** Whether a record is still standing: an open proposal, an active demand or threat. */
export function isStanding(record: { readonly closed?: Closure } | undefined): boolean {
  return record !== undefined && record.closed === undefined;
}

/** A closure that no later event changes: every one but a refusal (a refused demand can still be met or withdrawn). */
export function isFinal(closure: Closure | undefined): closure is Closure {
  return closure !== undefined && closure.status !== 'refused';
}

/** The three kinds of record that stand until an event closes them. */
export type RecordKind = 'proposal' | 'demand' | 'threat';

/**
 * A link from one record to another that names what it points to (DESIGN section 4, "Evidence"):
 * the event, its author, its item and its terms, so an answer reads without a second request.
 * Answers add the item's title from the catalog.
 */
export interface RecordLink {
  readonly event: string;
  readonly record: RecordKind;
  readonly by: string;
  readonly item?: string;
  /** The terms proposed, what was demanded, or the counter-measure threatened. */
  readonly what: string;
}

/** A record's status: how it closed, or "open" (a proposal) / "active" (a demand, a threat) while it stands. */
export function statusOf(kind: RecordKind, record: { readonly closed?: Closure }): RecordStatus {
  return record.closed?.status ?? (kind === 'proposal' ? 'open' : 'active');
}
