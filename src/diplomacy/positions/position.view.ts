import type { OverallStance, PositionCore } from '../domain/position.js';
import type { Evidence } from '../domain/topic-state.js';

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
