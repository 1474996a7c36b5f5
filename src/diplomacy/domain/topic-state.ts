import type { Occurred, Source, Speaker, StatedStance } from './events.js';

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
}

/** A party's stance on one item: the scale in docs/architecture.md ("Events"), "neutral" and "withdrawn" included. */
export type ItemStance = 'proposer' | StatedStance | 'rejected' | 'accepted' | 'withdrawn' | 'unknown';

export interface StanceEntry {
  readonly stance: ItemStance;
  readonly reason?: string;
  readonly evidence: EvidenceRef;
}

export type ResponseKind = 'accepted' | 'rejected' | 'endorsed' | StatedStance;

export interface Response {
  readonly party: string;
  readonly response: ResponseKind;
  readonly reason?: string;
  readonly evidence: EvidenceRef;
}

export interface ItemState {
  readonly slug: string;
  readonly title: string;
  readonly proposer?: string;
}

export interface ProposalState {
  readonly eventId: string;
  readonly actor: string;
  readonly item: string;
  readonly terms: string;
  readonly addressees: readonly string[];
  readonly status: 'open' | 'withdrawn';
  readonly responses: Readonly<Record<string, Response>>;
  readonly evidence: EvidenceRef;
  /** The end of its occurred interval: an answer counts no earlier (timeline.ts). */
  readonly occurredTo: string;
  readonly withdrawal?: EvidenceRef;
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
  readonly status: 'active' | 'withdrawn' | 'met';
  readonly responses: Readonly<
    Record<string, Response | { party: string; response: 'conceded'; evidence: EvidenceRef }>
  >;
  readonly evidence: EvidenceRef;
  readonly occurredTo: string;
  readonly closedBy?: EvidenceRef;
}

export interface ThreatState {
  readonly eventId: string;
  readonly actor: string;
  readonly targets: readonly string[];
  readonly item?: string;
  readonly counterMeasure: string;
  readonly condition?: string;
  readonly status: 'active' | 'withdrawn';
  readonly evidence: EvidenceRef;
  readonly occurredTo: string;
  readonly withdrawal?: EvidenceRef;
}

export interface ConcessionState {
  readonly eventId: string;
  readonly actor: string;
  readonly item?: string;
  readonly terms: string;
  /** The demand this concession meets, if it answers one. */
  readonly meets?: string;
  readonly evidence: EvidenceRef;
}

export interface ActState {
  readonly eventId: string;
  readonly kind: 'action' | 'agreement';
  readonly actor: string;
  readonly targets: readonly string[];
  readonly item?: string;
  readonly description: string;
  /** For an agreement: the proposal it accepts. */
  readonly accepts?: string;
  readonly evidence: EvidenceRef;
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
  /** party -> item slug (or WHOLE_TOPIC) -> latest stance */
  readonly stances: Readonly<Record<string, Readonly<Record<string, StanceEntry>>>>;
  /** party -> the last event that changed its position */
  readonly lastChange: Readonly<Record<string, EvidenceRef>>;
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
    stances: {},
    lastChange: {},
    parties: [],
  };
}
