import type { OverallStance, PositionCore } from '../domain/positions/position.js';
import type { EvidenceMap, WithRefs } from '../domain/positions/evidence-map.js';
import type { Evidence } from '../domain/records/topic-state.js';
import type { AnswerToRetracted, RetractedRecord } from '../domain/time/timeline.js';

/** How much of the past an answer shows: the 12 months before `at` (window), or all of it. */
export type HistoryScope = 'window' | 'all';
export const HISTORY_SCOPES: readonly HistoryScope[] = ['window', 'all'];

/** A party's position on a topic at a date, as the API answers it (docs/architecture.md, "Positions"). */
export interface PositionView extends Omit<PositionCore, 'stance'> {
  readonly topicTitle: string;
  readonly partyName: string;
  readonly at: string;
  readonly knownAt: string | null;
  readonly stance: OverallStance;
  readonly summary: string;
  /** Events begun by `at` that do not count yet (neither ended nor reported by then): maybe in effect, not counted, not dropped. */
  readonly possiblyInEffect: readonly Evidence[];
  /** This party's records withdrawn by a retraction counted at knownAt, from the day each began. */
  readonly retracted: readonly RetractedRecord[];
  /** This party's counted events that answer a record retracted since (each still counts: never forgotten). */
  readonly answersToRetracted: readonly AnswerToRetracted[];
}

/** How many of each element a position holds: what the compact view shows instead of the elements. */
export interface PositionCounts {
  readonly items: number;
  /** 1 when the party has a stance on the topic as a whole (`topicStance`), else 0. */
  readonly topicStance: number;
  readonly openProposals: number;
  readonly responses: number;
  readonly activeDemands: number;
  readonly demandsOnParty: number;
  readonly activeThreats: number;
  readonly threatsAgainstParty: number;
  readonly concessions: number;
  readonly acts: number;
  readonly reactions: number;
  readonly reactionsToParty: number;
  readonly closed: number;
  readonly closedConcerningParty: number;
  readonly possiblyInEffect: number;
  readonly retracted: number;
  readonly answersToRetracted: number;
}

/**
 * One party's position on one topic in a line (DESIGN section 4: the default answer of
 * GET /parties/:p/positions without `topic`): its stance, summary, counts and last changes.
 */
export interface CompactPosition {
  readonly topic: string;
  readonly topicTitle: string;
  readonly party: string;
  readonly partyName: string;
  readonly stance: OverallStance;
  readonly summary: string;
  readonly counts: PositionCounts;
  readonly lastChange: Evidence | null;
  readonly lastChangeAffecting: Evidence | null;
}

export function compactOf(view: PositionView): CompactPosition {
  return {
    topic: view.topic,
    topicTitle: view.topicTitle,
    party: view.party,
    partyName: view.partyName,
    stance: view.stance,
    summary: view.summary,
    counts: {
      items: view.items.length,
      topicStance: view.topicStance ? 1 : 0,
      openProposals: view.openProposals.length,
      responses: view.responses.length,
      activeDemands: view.activeDemands.length,
      demandsOnParty: view.demandsOnParty.length,
      activeThreats: view.activeThreats.length,
      threatsAgainstParty: view.threatsAgainstParty.length,
      concessions: view.concessions.length,
      acts: view.acts.length,
      reactions: view.reactions.length,
      reactionsToParty: view.reactionsToParty.length,
      closed: view.closed.length,
      closedConcerningParty: view.closedConcerningParty.length,
      possiblyInEffect: view.possiblyInEffect.length,
      retracted: view.retracted.length,
      answersToRetracted: view.answersToRetracted.length,
    },
    lastChange: view.lastChange,
    lastChangeAffecting: view.lastChangeAffecting,
  };
}

/** A position as answers send it: each evidence card a reference into the answer's `evidence` map. */
export type PositionByRef = WithRefs<PositionView>;
/** A compact position as answers send it (its last changes are references into `evidence`). */
export type CompactPositionByRef = WithRefs<CompactPosition>;

/** What every positions answer says it shows: the date, what was known, how much history. */
interface PositionsAsked {
  readonly at: string;
  readonly knownAt: string | null;
  readonly history: HistoryScope;
  /** Each card the positions cite, once, by reference (docs/architecture.md, "Positions"). */
  readonly evidence: EvidenceMap;
}

/** GET /parties/:party/positions with detail=full (the default with `topic`): every element. */
export interface FullPartyPositions extends PositionsAsked {
  readonly party: string;
  readonly detail: 'full';
  readonly positions: readonly PositionByRef[];
}

/** GET /parties/:party/positions with detail=compact (the default without `topic`): a line per topic. */
export interface CompactPartyPositions extends PositionsAsked {
  readonly party: string;
  readonly detail: 'compact';
  readonly positions: readonly CompactPositionByRef[];
}

export type PartyPositionsAnswer = FullPartyPositions | CompactPartyPositions;

/** GET /topics/:topic/positions: every engaged party's position on the topic. */
export interface TopicPositionsAnswer extends PositionsAsked {
  readonly topic: string;
  readonly positions: readonly PositionByRef[];
}
