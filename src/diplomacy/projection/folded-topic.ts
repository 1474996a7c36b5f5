/**
 * A topic folded for writers (docs/architecture.md, "The projection"): the fold, where its stored
 * versions stand (DayLedger) and its last event in topic order; how events appended later fold
 * into it; and its checkpoint, the same as one JSON text (fold-checkpoints.ts stores it).
 */
import type { RecordedEvent } from '../domain/events/events.js';
import { type EffectiveEvent, type EffectiveLog, effectiveLog } from '../domain/time/timeline.js';
import { answeredKey, compareOrder, movesWhatItAnswers, type OrderKey, orderKey } from '../domain/time/order.js';
import { forgottenBy } from '../domain/records/topic-state.js';
import { TOPIC_ITSELF } from '../domain/positions/elements.js';
import { TOPIC_FOLD_FORMAT, TopicFold, type TopicFoldSnapshot } from '../domain/records/topic-fold.js';
import {
  DayLedger,
  type DayLedgerSnapshot,
  elementTimeline,
  type ElementVersion,
  noteVersions,
  type RowChange,
} from './element-versions.js';

/**
 * A fold a write transaction is folding events into: they count only if it commits, so no other
 * writer may trust the fold until then (TopicStates.committed gives it its version again).
 */
export const CHANGING = 'changing';

/** How far a fold is folded: a stream version that was committed, or CHANGING. */
export type FoldVersion = number | typeof CHANGING;

/** A fold no transaction is changing: folded through a committed version. */
export type CommittedFold = FoldedTopic & { version: number };

export const isCommitted = (folded: FoldedTopic): folded is CommittedFold => folded.version !== CHANGING;

/** A fold its caller knows to be committed (checked under the topic's lock, which a changing transaction holds). */
export function asCommitted(folded: FoldedTopic): CommittedFold {
  if (!isCommitted(folded)) throw new Error(`the fold of ${folded.topic} is being changed by a transaction`);
  return folded;
}

/** A topic folded through every recorded event, and where it stands. */
export interface FoldedTopic {
  readonly topic: string;
  version: FoldVersion;
  /** The order key of the last event in topic order. */
  last: OrderKey | null;
  readonly fold: TopicFold;
  /** Where the stored versions stand, for the fold's next changes. */
  readonly ledger: DayLedger;
  /** Every party with stored rows in the topic: the fold's, and the actors of retracted records. */
  readonly parties: () => string[];
}

/** A topic folded from scratch: where it stands, and every version the projection stores for it. */
export interface TopicProjection extends FoldedTopic {
  /** Folded from the log as committed. */
  version: number;
  readonly log: EffectiveLog;
  /** Elements of positions, with the days they held; evidence by reference. */
  readonly versions: readonly ElementVersion[];
  /** The side lists (possibly in effect, retracted) as versions. */
  readonly notes: readonly ElementVersion[];
}

export function projectTopic(topic: string, events: readonly RecordedEvent[]): TopicProjection {
  const log = effectiveLog(events);
  const { fold, versions } = elementTimeline(topic, log.events);
  const last = log.events.length ? log.events[log.events.length - 1].key : null;
  const retractedActors = log.retracted.map((r) => r.evidence.actor);
  return {
    topic,
    version: events.reduce((max, e) => Math.max(max, e.version), 0),
    last,
    fold,
    ledger: last ? DayLedger.of(versions, last.countsFrom) : DayLedger.empty(),
    parties: partiesWith(fold, retractedActors),
    log,
    versions,
    notes: noteVersions(log),
  };
}

/** Only what writers keep of a projected topic. */
export function foldedPart({ topic, version, last, fold, ledger, parties }: TopicProjection): CommittedFold {
  return { topic, version, last, fold, ledger, parties };
}

/**
 * The fold's parties, then those with stored rows that the fold no longer names (actors of
 * retracted records), and the topic itself (its items' titles): a refold rewrites the rows of each.
 */
const partiesWith = (fold: TopicFold, others: readonly string[]) => () => [
  ...new Set([...fold.state.parties, ...others, TOPIC_ITSELF]),
];

/**
 * Events appended after the fold's version (every one, in any order), keyed in topic order, if
 * they fold in at the end exactly as a refold would fold them: none corrects or retracts (those
 * change the past), each lands after the fold's last event (a late report that counts earlier
 * changes the past too), none proves that what it answers happened before the day that counts from
 * (movesWhatItAnswers: that moves it earlier, as a correction of its date would), and none answers
 * a record the fold let go of (forgetHistory) unless the record is one of them. Reports fold into
 * nothing and are left out. undefined: only a refold is exact.
 */
export function keyedAfter(folded: FoldedTopic, appended: readonly RecordedEvent[]): EffectiveEvent[] | undefined {
  if (appended.some((e) => e.type === 'correction' || e.type === 'retraction')) return undefined;
  if (!isCommitted(folded)) return undefined; // a transaction is folding other events into it
  const from = folded.version;
  const versions = appended.map((e) => e.version).sort((a, b) => a - b);
  if (versions.some((v, i) => v !== from + 1 + i)) return undefined; // not what follows the fold: refold
  const events = appended.filter((e) => e.type !== 'report');
  if (events.length === 0) return [];
  const state = folded.fold.state;
  const ids = new Set(events.map((e) => e.id));
  // An answer to a record the fold has let go of is recorded on it: only a refold has the record whole.
  if (events.some((e) => e.refersTo !== undefined && !ids.has(e.refersTo) && forgottenBy(state, e.refersTo)))
    return undefined;
  // In log order: an event that answers another of these is keyed after it.
  const keys = new Map<string, OrderKey>();
  const placed = [...events]
    .sort((a, b) => a.position - b.position)
    .map((event) => {
      const answered = answeredKey(state, event) ?? (event.refersTo ? keys.get(event.refersTo) : undefined);
      const key = orderKey(event, answered);
      keys.set(event.id, key);
      return { event, key, moves: movesWhatItAnswers(event, answered) };
    });
  if (placed.some(({ moves }) => moves)) return undefined;
  const keyed = placed.map(({ event, key }) => ({ event, key })).sort((a, b) => compareOrder(a.key, b.key));
  if (folded.last && compareOrder(folded.last, keyed[0].key) >= 0) return undefined;
  return keyed;
}

/**
 * Folds the events recorded after the fold's version into it, in place, as a refold of the whole
 * topic would have it (keyedAfter says when it can): day by day, the ledger following. False:
 * they need a refold, and the fold is as it was.
 */
export function foldOnward(folded: FoldedTopic, appended: readonly RecordedEvent[]): boolean {
  const keyed = keyedAfter(folded, appended);
  if (!keyed) return false;
  const from = asCommitted(folded).version; // keyedAfter found it committed
  foldKeyed(folded, keyed);
  folded.version = from + appended.length;
  return true;
}

/**
 * Folds events keyed after the fold's last one (keyedAfter) into it, in place, day by day, the
 * ledger following; returns the row changes of each day, in order (the writer stores them; a fold
 * catching up on rows another process stored drops them). The version is the caller's to set.
 */
export function foldKeyed(folded: FoldedTopic, keyed: readonly EffectiveEvent[]): RowChange[] {
  const rows: RowChange[] = [];
  for (let i = 0; i < keyed.length; i++) {
    folded.fold.apply(keyed[i].event, undefined, keyed[i].key);
    const day = keyed[i].key.countsFrom;
    if (keyed[i + 1]?.key.countsFrom === day) continue;
    rows.push(...folded.ledger.advance(day, folded.fold.takeChanges()));
  }
  if (keyed.length) folded.last = keyed[keyed.length - 1].key;
  return rows;
}

/**
 * What a checkpoint's text holds. Its format: the fold's (TOPIC_FOLD_FORMAT), then this layout's
 * own number, raised when CheckpointText or DayLedger's snapshot changes shape.
 */
export const CHECKPOINT_FORMAT = `${TOPIC_FOLD_FORMAT}.2`;

interface CheckpointText {
  readonly fold: TopicFoldSnapshot;
  readonly ledger: DayLedgerSnapshot;
  readonly last: OrderKey | null;
  /** Parties with stored rows that the fold does not name (actors of retracted records). */
  readonly otherParties: readonly string[];
}

/** A fold as a checkpoint's text, serialised at once (the fold's snapshot shares its state). */
export function checkpointText(folded: FoldedTopic): string {
  const named = new Set(folded.fold.state.parties);
  const text: CheckpointText = {
    fold: folded.fold.toSnapshot(),
    ledger: folded.ledger.toSnapshot(),
    last: folded.last,
    otherParties: folded.parties().filter((p) => !named.has(p)),
  };
  return JSON.stringify(text);
}

/** The fold a checkpoint's text was made of, at the version it was folded to. */
export function fromCheckpoint(topic: string, version: number, text: string): CommittedFold {
  const saved = JSON.parse(text) as CheckpointText;
  if (saved.fold.state.topic !== topic) throw new Error(`the checkpoint of ${topic} holds ${saved.fold.state.topic}`);
  const fold = TopicFold.fromSnapshot(saved.fold);
  return {
    topic,
    version,
    last: saved.last,
    fold,
    ledger: DayLedger.fromSnapshot(saved.ledger),
    parties: partiesWith(fold, saved.otherParties),
  };
}
