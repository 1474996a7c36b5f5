import type { Change } from '../domain/positions/changes.js';
import type { EvidenceMap, WithRefs } from '../domain/positions/evidence-map.js';

/** The changes on one topic between the two dates. */
export interface TopicChanges {
  readonly topic: string;
  readonly title: string;
  readonly changes: readonly Change[];
}

/** A topic's changes as the answer sends them: each cites its event by reference into `evidence`. */
export type TopicChangesByRef = WithRefs<TopicChanges>;

/** GET /parties/:party/changes: per topic, what changed, each change citing its event by reference. */
export interface ChangesAnswer {
  readonly party: string;
  readonly from: string;
  readonly to: string;
  /** As publicly known at this instant (null: everything recorded). */
  readonly knownAt: string | null;
  readonly topics: readonly TopicChangesByRef[];
  readonly evidence: EvidenceMap;
}
