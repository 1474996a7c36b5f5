import { Injectable } from '@nestjs/common';
import { concatMap, from, map, Observable } from 'rxjs';
import { CatalogService } from '../../catalog/catalog.service.js';
import type { Reader } from '../../event-store/event-store.js';
import type { StoredEvent } from '../../event-store/stored-event.js';
import { isAboutARecord, signersOf, type RecordedEvent } from '../domain/events/events.js';
import type { EvidenceMap } from '../domain/positions/evidence-map.js';
import { evolve } from '../domain/records/evolve.js';
import { positionOf } from '../domain/positions/position.js';
import {
  type EffectiveEvent,
  type EffectiveLog,
  effectiveLog,
  evidenceIn,
  hasPosition,
  type RetractedEvent,
  retractedShownFrom,
  sideListCounts,
  sideListsAt,
} from '../domain/time/timeline.js';
import { changedElements, splitElementId } from '../domain/positions/elements.js';
import { emptyTopicState, type TopicState } from '../domain/records/topic-state.js';
import { PositionReader } from '../positions/position-reader.js';
import type { PositionByRef, PositionView } from '../positions/position.view.js';
import { toRecorded } from '../recorded-events.js';
import { TopicHistory } from '../topic-history.js';
import { LogTail } from './log-tail.js';

export interface ReplayStep {
  /**
   * Its place in the topic's order (from 1) when the step was made, or -1 for what has no place in
   * the fold: a correction, retraction or report, and a retracted record (`retractedBy`). On a
   * live stream an event reported late takes a place before events already sent, so two live
   * steps may carry the same number: the order is the topic's, the stream's is the log's (ids).
   */
  readonly step: number;
  /** The event (as corrected); on a retracted record's step, the record the retraction withdrew. */
  readonly event: RecordedEvent;
  readonly correctedBy?: string;
  /**
   * Set on a retracted record's step: the retraction that withdrew it (as known at `knownAt`).
   * The step changes nothing folded: its author's position lists the record under `retracted`
   * from the day it began, and the step is on that day, so a replay shows every day a position
   * changes on (before the retraction is known, the record is an ordinary step).
   */
  readonly retractedBy?: string;
  /**
   * The positions' `at`: the day the event counts from, or for a retracted record the day its
   * author's position lists it from (the day it began); null for a correction, retraction or report.
   */
  readonly countsFrom: string | null;
  /**
   * The positions right after it (in topic order) of every party whose position it changed,
   * those it names first, each with its side lists at that day.
   */
  readonly positions: readonly PositionView[];
}

/** Which steps a replay shows: those counting from `from` to `to` (days, inclusive), as known at `knownAt`. */
export interface ReplayRange {
  readonly from?: string;
  readonly to?: string;
  readonly knownAt?: string;
}

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

const inRange = (range: Omit<ReplayRange, 'knownAt'>, day: string | null) =>
  day !== null && (!range.from || day >= range.from) && (!range.to || day <= range.to);

/** A step of a live stream, and the log position its server-sent event carries as id (none: it keeps the last one). */
export interface LiveStep {
  readonly step: ReplayStep;
  readonly id?: number;
}

/** A step as answers send it: its positions cite evidence by reference into the `evidence` map. */
export interface ReplayStepByRef extends Omit<ReplayStep, 'positions'> {
  readonly positions: readonly PositionByRef[];
}

/** GET /topics/:topic/replay as JSON: every step, citing evidence by reference into one map. */
export interface ReplayAnswer {
  readonly topic: string;
  readonly from: string | null;
  readonly to: string | null;
  /** As publicly known at this instant (null: everything recorded). */
  readonly knownAt: string | null;
  readonly steps: readonly ReplayStepByRef[];
  readonly evidence: EvidenceMap;
}

@Injectable()
export class ReplayService {
  constructor(
    private readonly history: TopicHistory,
    private readonly catalog: CatalogService,
    private readonly reader: PositionReader,
    private readonly tail: LogTail,
  ) {}

  /**
   * The topic's events in topic order (as publicly known at `range.knownAt`, if given), each with
   * the positions right after it of the parties it changed, read where `reader` reads.
   */
  async replay(
    topic: string,
    range: ReplayRange,
    reader: Reader,
  ): Promise<{ steps: ReplayStep[]; lastPosition: number }> {
    const events = await this.history.events(topic, reader);
    const log = effectiveLog(events, range.knownAt);
    const steps = await this.fold(
      topic,
      log,
      ({ key }) => inRange(range, key.countsFrom),
      ({ record }) => inRange(range, retractedShownFrom(record)),
      range.knownAt,
    );
    return { steps, lastPosition: events.reduce((max, e) => Math.max(max, e.position), 0) };
  }

  /**
   * New events of the topic as they are recorded, each as a replay step (those that count within
   * `range`'s days), until unsubscribed. The events come from the process's one LogTail; the
   * steps of a batch are folded once however many streams follow the topic (they get the batch
   * in the same tick).
   */
  live(topic: string, afterPosition: number, range: Omit<ReplayRange, 'knownAt'> = {}): Observable<LiveStep> {
    return this.tail.follow(topic, afterPosition).pipe(
      concatMap((batch) => from(this.stepsOf(topic, batch))),
      // A correction, retraction or report (no day) is a step whatever the days asked.
      map((steps) => steps.filter(({ step }) => step.countsFrom === null || inRange(range, step.countsFrom))),
      // In log order, as recorded (the fold gives topic order): a stream's ids only go up.
      concatMap((steps) => from(steps)),
    );
  }

  private readonly folding = new Map<string, Promise<LiveStep[]>>();

  private stepsOf(topic: string, batch: readonly StoredEvent[]): Promise<LiveStep[]> {
    const key = `${topic}:${batch[0].position}:${batch[batch.length - 1].position}:${batch.length}`;
    let steps = this.folding.get(key);
    if (!steps) {
      steps = this.stepsAfter(topic, batch);
      this.folding.set(key, steps);
      // Kept only while in flight: the streams that share it asked in the same tick.
      void steps.finally(() => this.folding.delete(key)).catch(() => undefined);
    }
    return steps;
  }

  /**
   * The steps of fresh events, in log order. A retraction brings its record's step (shown
   * retracted, as a replay made now shows it) just before its own: the record's step carries no
   * id, so a client that reconnects between the two gets both again, and ids only go up.
   */
  private async stepsAfter(topic: string, fresh: readonly StoredEvent[]): Promise<LiveStep[]> {
    const log = effectiveLog(await this.history.events(topic));
    const wanted = new Set(fresh.map((e) => e.id));
    const steps = await this.fold(
      topic,
      log,
      ({ event }) => wanted.has(event.id),
      ({ retraction }) => wanted.has(retraction.id),
    );
    const retractionOf = new Map(log.retractedEvents.map((r) => [r.event.id, r.retraction.position]));
    // A correction, retraction or report is a step too, though the fold skips it.
    const answers = fresh.map(toRecorded).filter((e) => isAboutARecord(e.type));
    const placed = [
      ...steps.map((step) =>
        step.retractedBy
          ? { step, position: retractionOf.get(step.event.id)!, first: 0 }
          : { step, position: step.event.position, first: 1, id: step.event.position },
      ),
      ...answers.map((event) => ({
        step: { step: -1, event, countsFrom: null, positions: [] },
        position: event.position,
        first: 1,
        id: event.position,
      })),
    ];
    return placed
      .sort((a, b) => a.position - b.position || a.first - b.first)
      .map(({ step, id }) => (id === undefined ? { step } : { step, id }));
  }

  /**
   * The steps of the events `emit` picks, in topic order, and of the retracted records `shown`
   * picks, each on the day its author's position lists it from, after that day's events: the
   * positions then are the day's.
   */
  private async fold(
    topic: string,
    log: EffectiveLog,
    emit: (e: EffectiveEvent) => boolean,
    shown: (r: RetractedEvent) => boolean,
    knownAt?: string,
  ): Promise<ReplayStep[]> {
    const catalog = await this.catalog.current();
    const items = this.reader.items(catalog, topic);
    let state: TopicState = emptyTopicState(topic);
    const evidence = evidenceIn(log.events);
    const steps: ReplayStep[] = [];
    const positionAt = (party: string, at: string, lists = sideListsAt(log, party, at)) =>
      this.reader.view(
        positionOf(state, party, evidence, items),
        { at, ...(knownAt ? { knownAt } : {}) },
        catalog,
        lists,
      );
    const retracted = log.retractedEvents
      .filter(shown)
      .map((r) => ({ ...r, day: retractedShownFrom(r.record) }))
      .sort(
        (a, b) => cmp(a.day, b.day) || cmp(a.event.occurred.to, b.event.occurred.to) || cmp(a.event.id, b.event.id),
      );
    let next = 0;
    /** The steps of the retracted records listed from a day before `before` (every one left if undefined). */
    const retractedBefore = (before?: string) => {
      for (; next < retracted.length && (before === undefined || retracted[next].day < before); next++) {
        const { event, correctedBy, retraction, day } = retracted[next];
        // Its author lists it under `retracted`; a party whose answer to it counts by then, under `answersToRetracted`.
        const answerers = log.answersToRetracted
          .filter((a) => a.answers.eventId === event.id && a.countsFrom <= day)
          .map((a) => a.evidence.actor);
        const positions = [...new Set([event.actor, ...answerers])].flatMap((party) => {
          const lists = sideListsAt(log, party, day);
          return hasPosition(state.parties.includes(party), sideListCounts(lists))
            ? [positionAt(party, day, lists)]
            : [];
        });
        steps.push({
          step: -1,
          event,
          ...(correctedBy ? { correctedBy } : {}),
          retractedBy: retraction.id,
          countsFrom: day,
          positions,
        });
      }
    };
    log.events.forEach((effective, index) => {
      retractedBefore(effective.key.countsFrom);
      const { event, correctedBy, key } = effective;
      const before = state;
      state = evolve(state, event, correctedBy, key);
      if (!emit(effective)) return;
      const actors = event.type === 'agreement' ? signersOf(event) : [event.actor];
      // Every party whose position the event changed: a withdrawal closes the records of the
      // parties that answered it too (their closedConcerningParty), a reaction is in the
      // reactionsToParty of those it concerns. Those it names come first.
      const changed = [...changedElements(before, state).keys()].map((id) => splitElementId(id)[0]).sort();
      const parties = [...new Set([...actors, ...event.targets, ...this.answered(state, event), ...changed])].filter(
        (p) => state.parties.includes(p),
      );
      const at = key.countsFrom;
      steps.push({
        step: index + 1,
        event,
        ...(correctedBy ? { correctedBy } : {}),
        countsFrom: at,
        positions: parties.map((party) => positionAt(party, at)),
      });
    });
    retractedBefore();
    return steps;
  }

  /** The party whose proposal, demand or threat the event answers. */
  private answered(state: TopicState, event: RecordedEvent): string[] {
    if (!event.refersTo) return [];
    const owner =
      state.proposals[event.refersTo]?.actor ??
      state.demands[event.refersTo]?.actor ??
      state.threats[event.refersTo]?.actor;
    return owner ? [owner] : [];
  }
}
