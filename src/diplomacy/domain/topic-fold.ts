import type { Draft } from 'immer';
import { applyEvent, type RecordRef } from './evolve.js';
import type { DiplomaticEvent } from './events.js';
import { type ElementBody, type ElementChange, type ElementId, recordElements, sameBody } from './position.js';
import { emptyTopicState, type TopicState } from './topic-state.js';

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

  /** Records that events may have closed since forgetHistory last ran; absent until it first runs (then it looks at every record). */
  private closing?: Set<string>;

  apply(event: DiplomaticEvent, correctedBy?: string): void {
    if ((event.type === 'withdrawal' || event.type === 'concession') && event.refersTo)
      this.closing?.add(event.refersTo);
    if (!this.tracking) return applyEvent(this.state, this.state, event, correctedBy);
    applyEvent(this.state, this.state, event, correctedBy, (record) => {
      const key = refKey(record);
      if (!this.before.has(key)) this.before.set(key, { record, elements: recordElements(this.state, record) });
    });
  }

  /**
   * Lets go of what no event folded in at the end of the topic's order can change or show again,
   * so a writer can keep many more topics folded (a third of the memory at 1,000,000 events):
   * closed proposals, demands and threats become stubs that keep what a later answer to them
   * still reads (who, which item and terms, when it ended, its status), and past acts and concessions are
   * no longer listed (later events only add to those lists). decide and DayLedger work on such
   * a state as on the whole one; positions must not be read from it. Events that change the
   * past (late reports, corrections, retractions) refold the topic from its log anyway.
   */
  forgetHistory(): void {
    const state = this.state as Draft<TopicState>;
    const ids =
      this.closing ??
      new Set([...Object.keys(state.proposals), ...Object.keys(state.demands), ...Object.keys(state.threats)]);
    for (const id of ids) {
      const p = state.proposals[id];
      if (p && p.status !== 'open' && p.evidence !== '') {
        state.proposals[id] = {
          eventId: p.eventId,
          actor: p.actor,
          item: p.item,
          terms: p.terms,
          addressees: [],
          status: p.status,
          responses: {},
          evidence: '',
          occurredTo: p.occurredTo,
        };
      }
      const d = state.demands[id];
      if (d && d.status !== 'active' && d.evidence !== '') {
        state.demands[id] = {
          eventId: d.eventId,
          kind: d.kind,
          actor: d.actor,
          targets: [],
          what: '',
          status: d.status,
          responses: {},
          evidence: '',
          occurredTo: d.occurredTo,
        };
      }
      const t = state.threats[id];
      if (t && t.status !== 'active' && t.evidence !== '') {
        state.threats[id] = {
          eventId: t.eventId,
          actor: t.actor,
          targets: [],
          counterMeasure: '',
          status: t.status,
          evidence: '',
          occurredTo: t.occurredTo,
        };
      }
    }
    this.closing = new Set();
    if (state.acts.length) state.acts = [];
    if (state.concessions.length) state.concessions = [];
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
