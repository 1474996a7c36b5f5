import type { Draft } from 'immer';
import { applyEvent, type RecordRef } from './evolve.js';
import type { DiplomaticEvent } from '../events/events.js';
import type { AnsweredKey } from '../time/order.js';
import {
  type ElementBody,
  type ElementChange,
  type ElementId,
  recordElements,
  sameBody,
} from '../positions/elements.js';
import { type Closure, emptyTopicState, isFinal, type RecordKind, type TopicState } from './topic-state.js';

/**
 * The version of what a fold is: the shape of TopicState and the rules that fill it (evolve,
 * topic order). Raise it with any change to either, so that a snapshot saved before the change
 * (a checkpoint: src/diplomacy/projection/fold-checkpoints.ts) is ignored, never misread;
 * a checkpoints test in projection/projection.properties.spec.ts fails until it is raised when a change shows
 * in the checkpoints of its random logs (their fingerprint).
 */
export const TOPIC_FOLD_FORMAT = 14; // 14: an event counts from the earliest day it or an answer to it (transitively) can have happened on (provenDays): a record answered before its own last possible day counts from the answer's. 13: answers to records, acts, concessions and reactions keep the day they count from (countsFrom). 12: a concession's record is about the item of the record it names where it names none (the demand it meets: it held no item, its elements named none, and only the cascade read the demand's). 11: an event counts from the last day it can have happened on (lastPossibleDay: its report day when that comes before the end of its occurred interval); records keep that day as countsFrom (was occurredTo). 10: a threat is in its targets' positions (threat-on, closed-on) and its closure affects them. 9: a concession names its targets and closes (moot) when what it is about ends; one by item alone on its author's open proposal backs down on it. 8: an action may carry out its actor's threat (closed `carried-out`, the act's `carriesOut`), and counts no earlier than it. 7: an agreement's element is keyed apart from actions' (ElementKey.agreement). 6: a record about an item already ended is moot from its own day; a signing of a proposal closed for good is recorded on it; stances and closures date from the day their event counts. 5: an item's title is an element of the topic (TOPIC_ITSELF), over the days it held. 4: a concession on a restated record acts on the restatement in its place; a settled record keeps its author's withdrawals after its closure. 3: an agreement's act says whether it was signed (CAMEO 057); a proposer co-signing its own plan keeps its stance; an ended plan takes back its proposer's offers on sub-items; an agreement's act names the signers that left it; a restatement names its whole chain. 2: a withdrawal's decision names the kind of record it took back; a signing of a restated proposal signs its restatement; a restatement names what it superseded

/** A fold as plain data, for saving: its state (what forgetHistory left of it, or all of it). */
export interface TopicFoldSnapshot {
  readonly state: TopicState;
}

const refKey = (r: RecordRef) =>
  r.kind === 'stance' ? `stance\u0001${r.id}\u0001${r.item}` : `${r.kind}\u0001${r.id}`;

/**
 * A topic folded event by event in linear time: the same transitions as `evolve` (applyEvent),
 * applied in place to a state nobody else holds, instead of copying the topic's records on every
 * event. It notes which records each event touches, so the position elements that changed are
 * found without comparing whole states. Its `state` must be treated as read-only by others.
 */
export class TopicFold {
  readonly state: TopicState;
  /** Elements of the records touched since the last takeChanges, as they were before. */
  private readonly before = new Map<string, { record: RecordRef; elements: Map<ElementId, ElementBody> }>();

  /** Whether to note touched records for takeChanges; a fold that only wants the state need not. */
  tracking: boolean;

  constructor(topic: string, options: { tracking?: boolean } = {}) {
    this.state = emptyTopicState(topic);
    this.tracking = options.tracking ?? true;
  }

  /**
   * The fold as plain data. It shares the fold's state: serialise it before the fold moves on.
   * A fold in the middle of a change (touched records not taken yet) has no snapshot.
   */
  toSnapshot(): TopicFoldSnapshot {
    if (this.before.size) throw new Error('a TopicFold with changes not taken has no snapshot');
    return { state: this.state };
  }

  /**
   * The fold a snapshot was taken of, tracking changes. It takes the snapshot's state as its own
   * (a checkpoint's is parsed for it alone): pass a copy of a state someone else holds.
   */
  static fromSnapshot(snapshot: TopicFoldSnapshot): TopicFold {
    const fold = new TopicFold(snapshot.state.topic);
    Object.assign(fold.state, snapshot.state);
    return fold;
  }

  /**
   * Folds one more event in. `place`: where it stands in the topic's order (its effective log's
   * key: an answer may have moved it earlier); left out, it is placed as orderKey places an event
   * no answer moves.
   */
  apply(event: DiplomaticEvent, correctedBy?: string, place?: AnsweredKey): void {
    if (!this.tracking) return applyEvent(this.state, this.state, event, correctedBy, place);
    applyEvent(this.state, this.state, event, correctedBy, place, (record) => {
      const key = refKey(record);
      if (!this.before.has(key)) this.before.set(key, { record, elements: recordElements(this.state, record) });
    });
  }

  /**
   * Lets go of what no event folded in at the end of the topic's order can change or show again,
   * so a writer can keep many more topics folded (a third of the memory at 1,000,000 events):
   * records closed for good move to `settled`, which keeps what a later answer or withdrawal
   * naming them still reads (who, which item, how and when they closed); past acts, concessions
   * closed or about no item, reactions, replaced stances and past decisions are no longer listed
   * (later events only add to those lists; a standing concession about an item may still close). decide and
   * DayLedger work on such a state as on the whole one; positions must not be read from it.
   * Events that change the past (late reports, corrections, retractions) refold the topic from
   * its log anyway.
   */
  forgetHistory(): void {
    const state = this.state as Draft<TopicState>;
    const settle = (
      kind: RecordKind,
      id: string,
      record: {
        actor: string;
        item?: string;
        terms?: string;
        closed?: Closure;
        laterWithdrawals?: readonly Closure[];
        countsFrom: string;
      },
    ) => {
      if (!isFinal(record.closed)) return false;
      state.settled[id] = {
        kind,
        actor: record.actor,
        ...(record.item !== undefined ? { item: record.item } : {}),
        ...(record.terms !== undefined ? { terms: record.terms } : {}),
        closed: record.closed,
        ...(record.laterWithdrawals?.length ? { laterWithdrawals: [...record.laterWithdrawals] } : {}),
        countsFrom: record.countsFrom,
      };
      return true;
    };
    for (const id in state.proposals) if (settle('proposal', id, state.proposals[id])) delete state.proposals[id];
    for (const id in state.demands) if (settle('demand', id, state.demands[id])) delete state.demands[id];
    for (const id in state.threats) if (settle('threat', id, state.threats[id])) delete state.threats[id];
    if (state.acts.length) state.acts = [];
    if (state.reactions.length) state.reactions = [];
    // Decisions too: about 340,000 of them at 1,000,000 events; an answer to one refolds (forgottenBy).
    state.decisions = {};
    // A standing concession about an item still closes when the item ends (evolve's endItem): kept.
    if (state.concessions.length)
      state.concessions = state.concessions.filter((c) => !c.closed && c.item !== undefined);
    if (state.replacedStances.length) state.replacedStances = [];
  }

  /** The elements that differ from the last call, with their bodies then and now (null: not there). */
  takeChanges(): Map<ElementId, ElementChange> {
    const changes = new Map<ElementId, ElementChange>();
    for (const { record, elements: was } of this.before.values()) {
      const now = recordElements(this.state, record);
      for (const [id, body] of was) if (!now.has(id)) changes.set(id, { before: body, after: null });
      for (const [id, body] of now)
        if (!was.has(id) || !sameBody(was.get(id), body)) changes.set(id, { before: was.get(id) ?? null, after: body });
    }
    this.before.clear();
    return changes;
  }
}
