import type { OverallStance, PositionCore } from '../domain/positions/position.js';
import type { Evidence } from '../domain/records/topic-state.js';

/** A party's position on a topic at a date, as the API answers it (docs/architecture.md, "Positions"). */
export interface PositionView extends Omit<PositionCore, 'stance'> {
  readonly topicTitle: string;
  readonly partyName: string;
  readonly at: string;
  readonly knownAt: string | null;
  readonly stance: OverallStance;
  readonly summary: string;
  /** Events whose occurred interval contains `at`: maybe in effect, not counted, not dropped. */
  readonly possiblyInEffect: readonly Evidence[];
  /** Records about this party withdrawn by a retraction counted at knownAt. */
  readonly retracted: readonly { evidence: Evidence; retraction: Evidence; reason: string }[];
}

/** How many of each element a position holds: what the compact view shows instead of the elements. */
export interface PositionCounts {
  readonly items: number;
  readonly openProposals: number;
  readonly responses: number;
  readonly activeDemands: number;
  readonly demandsOnParty: number;
  readonly activeThreats: number;
  readonly concessions: number;
  readonly acts: number;
  readonly reactions: number;
  readonly reactionsToParty: number;
  readonly closed: number;
  readonly closedConcerningParty: number;
  readonly possiblyInEffect: number;
  readonly retracted: number;
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
      items: view.items.length + (view.topicStance ? 1 : 0),
      openProposals: view.openProposals.length,
      responses: view.responses.length,
      activeDemands: view.activeDemands.length,
      demandsOnParty: view.demandsOnParty.length,
      activeThreats: view.activeThreats.length,
      concessions: view.concessions.length,
      acts: view.acts.length,
      reactions: view.reactions.length,
      reactionsToParty: view.reactionsToParty.length,
      closed: view.closed.length,
      closedConcerningParty: view.closedConcerningParty.length,
      possiblyInEffect: view.possiblyInEffect.length,
      retracted: view.retracted.length,
    },
    lastChange: view.lastChange,
    lastChangeAffecting: view.lastChangeAffecting,
  };
}
