import { changesRecords, rewritesRecords } from './decide.js';
import type { DiplomaticEvent, PlacedEvent, RecordedEvent } from '../events/events.js';
import { effectiveLog } from '../time/timeline.js';
import { answeredKey, compareOrder, movesWhatItAnswers, type OrderKey, orderKey } from '../time/order.js';
import { TopicFold } from './topic-fold.js';
import type { TopicState } from './topic-state.js';

/**
 * A topic as a bulk import decides on it: its recorded events, then the events accepted since,
 * folded for decide. It folds each accepted event at the end, which is the topic's order as long
 * as events come in that order. An event that decide's facts depend on (changesRecords)
 * and that lands before the last one folded, or a correction or retraction of such an event,
 * makes it fold everything again in topic order: a late proposal can supersede, a late withdrawal
 * can make records moot, so their place in the order matters. So does an answer that proves what
 * it answers happened earlier than it counted (movesWhatItAnswers): that moves in the order. Late statements, endorsements and
 * actions that carry out no threat change no status and are simply folded on.
 */
export class DecisionFold {
  private fold: TopicFold;
  /** Accepted, not yet committed: the batch being decided. */
  private pending: DiplomaticEvent[] = [];
  private last?: OrderKey;
  /** The key of the last record-changing event (changesRecords) in topic order: what a line decide checks may count before. */
  private lastRecord?: OrderKey;
  /** How many times it folded everything again (the bench reports it). */
  refolds = 0;

  constructor(
    readonly topic: string,
    private readonly recorded: RecordedEvent[],
    private readonly typeOf: (id: string) => string | undefined,
  ) {
    this.fold = this.folded();
  }

  get state(): TopicState {
    return this.fold.state;
  }

  /**
   * The key of the topic's last record-changing event (changesRecords), which mayCountBefore
   * compares a line with: only those events change what decide's standing rules read, so a line
   * that counts after them is decided against the fold as it is, whatever statements count after
   * it. Compared with the last event of any type, every proposal or answer written after a
   * statement dated by its month (which counts from the month's end) read the topic's whole history:
   * the bench's import took 514 instead of 361 µs of CPU per event.
   */
  get lastRecordKey(): OrderKey | null {
    return this.lastRecord ?? null;
  }

  /** The recorded events and the accepted ones, in log order: what a late line or a correction is decided against (DecisionContext.log). */
  log(): readonly PlacedEvent[] {
    return [...this.recorded, ...this.pending.map((e, i) => this.provisional(e, i))];
  }

  accept(event: DiplomaticEvent): void {
    this.pending.push(event);
    const answered = answeredKey(this.fold.state, event);
    const key = orderKey(this.provisional(event, this.pending.length - 1), answered);
    const late = this.last !== undefined && compareOrder(key, this.last) < 0;
    const target = event.refersTo ? this.typeOf(event.refersTo) : undefined;
    const rewritesDecision =
      (event.type === 'correction' || event.type === 'retraction') &&
      target !== undefined &&
      rewritesRecords(target as DiplomaticEvent['type']);
    if (rewritesDecision || (late && changesRecords(event)) || movesWhatItAnswers(event, answered)) {
      this.refolds++;
      this.fold = this.folded();
    } else {
      this.fold.apply(event, undefined, key);
      if (!late) this.last = key;
      if (changesRecords(event) && (!this.lastRecord || compareOrder(key, this.lastRecord) > 0)) this.lastRecord = key;
    }
  }

  /** The batch is committed: its events are in the log now. */
  commit(recorded: readonly RecordedEvent[]): void {
    this.recorded.push(...recorded);
    this.pending = [];
  }

  /** An accepted event with the place in the log it will get: after every recorded one. */
  private provisional(event: DiplomaticEvent, i: number): PlacedEvent {
    const last = this.recorded.length ? this.recorded[this.recorded.length - 1] : undefined;
    return {
      ...event,
      version: (last?.version ?? 0) + i + 1,
      position: (last?.position ?? 0) + i + 1,
    };
  }

  /** The recorded events and the accepted ones, folded in topic order. */
  private folded(): TopicFold {
    const fold = new TopicFold(this.topic, { tracking: false }); // decide reads its state; nobody asks it what changed
    const events = effectiveLog(this.log()).events;
    for (const { event, correctedBy, key } of events) fold.apply(event, correctedBy, key);
    this.last = events.length ? events[events.length - 1].key : undefined;
    this.lastRecord = events.findLast(({ event }) => changesRecords(event))?.key;
    return fold;
  }
}
