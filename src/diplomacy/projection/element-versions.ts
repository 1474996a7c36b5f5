/**
 * The temporal projection's storage rules: a position's elements, each valid over a range of days
 * (docs/architecture.md, "The projection"). The domain folds events into states and cuts a state
 * into elements; here elements become versions with the days they held, side-list rows (events
 * possibly in effect, retracted records) and the row changes one day of new events makes.
 */
import {
  type ElementBody,
  type ElementChange,
  type ElementId,
  elementId,
  sameBody,
  splitElementId,
} from '../domain/positions/elements.js';
import { type EffectiveEvent, type EffectiveLog, retractedShownFrom } from '../domain/time/timeline.js';
import { TopicFold } from '../domain/records/topic-fold.js';
import { evidenceRef, type TopicState } from '../domain/records/topic-state.js';

/** An element as it stood from validFrom (inclusive) to validTo (exclusive, null: still). */
export interface ElementVersion {
  readonly party: string;
  readonly key: string;
  readonly validFrom: string;
  readonly validTo: string | null;
  readonly body: ElementBody;
}

const same = sameBody;

/**
 * Folds a whole topic (effective events in topic order) into element versions: after the last
 * event of each day, the elements that changed that day close the old version and open a new one.
 */
export function elementTimeline(
  topic: string,
  events: readonly EffectiveEvent[],
): { state: TopicState; fold: TopicFold; versions: ElementVersion[] } {
  const fold = new TopicFold(topic);
  const open = new Map<ElementId, { party: string; key: string; validFrom: string; body: ElementBody }>();
  const versions: ElementVersion[] = [];
  events.forEach(({ event, correctedBy, key }, i) => {
    fold.apply(event, correctedBy, key);
    const day = key.countsFrom;
    if (events[i + 1]?.key.countsFrom === day) return;
    // Changes since the day began: an element's open version is how it began the day, so each one differs from it.
    for (const [id, { after: body }] of fold.takeChanges()) {
      const was = open.get(id);
      const [party, key] = was ? [was.party, was.key] : splitElementId(id);
      if (was) versions.push({ party, key, validFrom: was.validFrom, validTo: day, body: was.body });
      if (body) open.set(id, { party, key, validFrom: day, body });
      else open.delete(id);
    }
  });
  for (const { party, key, validFrom, body } of open.values())
    versions.push({ party, key, validFrom, validTo: null, body });
  return { state: fold.state, fold, versions };
}

/** Stored like elements, but not parts of the position itself: read back into its side lists. */
export const POSSIBLY_IN_EFFECT = 'possibly:';
export const RETRACTED = 'retracted:';
export const ANSWERS_TO_RETRACTED = 'answers-retracted:';

/**
 * The side lists of a position as versions (evidence by reference, like elements), so one
 * indexed read answers a position: each event that is possibly in effect (started, not counted
 * yet), for every party it involves, over the days from its start to the day it counts; each
 * retracted record, for its actor, from the day it began (retractedShownFrom); and each event
 * that answers a retracted record, for its actor, from the day it counts.
 */
export function noteVersions(log: EffectiveLog): ElementVersion[] {
  const versions: ElementVersion[] = [];
  for (const effective of log.events) {
    const { event, correctedBy, key } = effective;
    if (event.occurred.from >= key.countsFrom) continue;
    const body = evidenceRef(event.id, correctedBy);
    for (const party of new Set([event.actor, ...event.targets])) {
      versions.push({
        party,
        key: `${POSSIBLY_IN_EFFECT}${event.id}`,
        validFrom: event.occurred.from,
        validTo: key.countsFrom,
        body,
      });
    }
  }
  for (const retracted of log.retracted) {
    const { evidence, retraction, reason } = retracted;
    versions.push({
      party: evidence.actor,
      key: `${RETRACTED}${evidence.eventId}`,
      validFrom: retractedShownFrom(retracted),
      validTo: null,
      body: {
        evidence: evidenceRef(evidence.eventId, evidence.correctedBy),
        retraction: evidenceRef(retraction.eventId),
        reason,
      },
    });
  }
  for (const { evidence, answers, retraction, countsFrom } of log.answersToRetracted) {
    versions.push({
      party: evidence.actor,
      key: `${ANSWERS_TO_RETRACTED}${evidence.eventId}`,
      validFrom: countsFrom,
      validTo: null,
      body: {
        evidence: evidenceRef(evidence.eventId, evidence.correctedBy),
        answers: evidenceRef(answers.eventId, answers.correctedBy),
        retraction: evidenceRef(retraction.eventId),
      },
    });
  }
  return versions;
}

/** A DayLedger as plain data, for saving beside its fold: the day, and each changed element's body when it began. */
export interface DayLedgerSnapshot {
  /** null: the topic has no event yet (DayLedger.empty). */
  readonly day: string | null;
  readonly startOf: readonly (readonly [ElementId, ElementBody | null])[];
}

/**
 * What events at the end of a topic's order, all counted from `day`, do to the stored versions.
 * Each change names its row by what is unique about it: the open version (`close`, `rewrite`,
 * `drop`) or the version closed on `day` (`reopen`); `open` adds a row. One element's changes
 * never name the same row twice, so they can all be written in one statement.
 */
export type RowChange =
  | { readonly kind: 'close' | 'drop' | 'reopen'; readonly party: string; readonly key: string; readonly day: string }
  | {
      readonly kind: 'open' | 'rewrite';
      readonly party: string;
      readonly key: string;
      readonly day: string;
      readonly body: ElementBody;
    };

/**
 * Where the stored versions of a topic stand at the end of its order: the day of its last event,
 * and the elements that changed on that day with the body each had when the day began. That is
 * all the incremental projection needs to know: versions that opened before that day can only
 * be closed, so it never reads stored rows back. A writer keeps one beside its TopicFold and,
 * like the fold, it changes in place.
 */
export class DayLedger {
  private constructor(
    /** The day of the topic's last event; null before its first. */
    private lastDay: string | null,
    private readonly startOf: Map<ElementId, ElementBody | null>,
  ) {}

  /** The ledger of a topic with no event yet: its first events may count from any day. */
  static empty(): DayLedger {
    return new DayLedger(null, new Map());
  }

  /** Where a topic whose versions are these stands, `day` being the day of its last event. */
  static of(versions: readonly ElementVersion[], day: string): DayLedger {
    const startOf = new Map<ElementId, ElementBody | null>();
    for (const v of versions)
      if (v.validFrom === day && !startOf.has(elementId(v.party, v.key))) startOf.set(elementId(v.party, v.key), null);
    for (const v of versions) if (v.validTo === day) startOf.set(elementId(v.party, v.key), v.body);
    return new DayLedger(day, startOf);
  }

  /** The ledger as plain data (its entries copied, their bodies shared: serialise it at once). */
  toSnapshot(): DayLedgerSnapshot {
    return { day: this.lastDay, startOf: [...this.startOf] };
  }

  static fromSnapshot(snapshot: DayLedgerSnapshot): DayLedger {
    return new DayLedger(snapshot.day, new Map(snapshot.startOf));
  }

  get day(): string | null {
    return this.lastDay;
  }

  /** The elements that changed on the last day, with their body when it began (null: not there). */
  get changedOnDay(): ReadonlyMap<ElementId, ElementBody | null> {
    return this.startOf;
  }

  /**
   * The incremental form of elementTimeline: the row changes that leave what a full rebuild
   * would, after events at the end of the topic's order, all counted from `day` (not before the
   * ledger's day), changed the elements as `changes` says. The ledger moves to `day`.
   */
  advance(day: string, changes: ReadonlyMap<ElementId, ElementChange>): RowChange[] {
    if (this.lastDay !== null && day < this.lastDay)
      throw new Error(`a DayLedger goes forward only: ${day} is before ${this.lastDay}`);
    if (day !== this.lastDay) this.startOf.clear();
    this.lastDay = day;
    const rows: RowChange[] = [];
    for (const [id, { before, after }] of changes) {
      if (same(before, after)) continue;
      const [party, key] = splitElementId(id);
      const row = (kind: 'close' | 'drop' | 'reopen') => rows.push({ kind, party, key, day });
      const withBody = (kind: 'open' | 'rewrite', body: ElementBody) => rows.push({ kind, party, key, day, body });
      const start = this.startOf.has(id) ? this.startOf.get(id)! : before;
      this.startOf.set(id, start);
      if (same(after, start)) {
        // Back to how it began the day: today's version goes, yesterday's holds again.
        if (before !== null) row('drop');
        if (start !== null) row('reopen');
      } else if (same(before, start)) {
        // Its first change today: the version that began earlier ends today.
        if (start !== null) row('close');
        if (after !== null) withBody('open', after);
      } else if (before !== null && after !== null) {
        withBody('rewrite', after);
      } else if (before !== null) {
        row('drop');
      } else {
        withBody('open', after!);
      }
    }
    return rows;
  }
}
