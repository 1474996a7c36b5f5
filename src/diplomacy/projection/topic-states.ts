import { Inject, Injectable } from '@nestjs/common';
import type { Settings } from '../../config/settings.js';
import { SETTINGS } from '../../config/settings.provider.js';
import { EntityManager } from 'typeorm';
import { EventStore } from '../../event-store/event-store.js';
import type { RecordedEvent } from '../domain/events/events.js';
import { type EffectiveLog, effectiveLog } from '../domain/time/timeline.js';
import type { OrderKey } from '../domain/time/order.js';
import { DayLedger, elementTimeline, type ElementVersion, noteVersions } from './element-versions.js';
import type { TopicFold } from '../domain/records/topic-fold.js';
import { readRecorded } from '../recorded-events.js';

/** A topic folded through every recorded event, and where it stands. */
export interface FoldedTopic {
  readonly topic: string;
  /** The stream version folded in; -1 while a transaction is changing the fold. */
  version: number;
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
    parties: () => [...new Set([...fold.state.parties, ...retractedActors])],
    log,
    versions,
    notes: noteVersions(log),
  };
}

/** Only what writers keep of a projected topic. */
export function foldedPart({ topic, version, last, fold, ledger, parties }: TopicProjection): FoldedTopic {
  return { topic, version, last, fold, ledger, parties };
}

/**
 * Folded topic states kept in memory, so a write neither reads nor rewrites a topic's whole
 * state: decide and the projection use the cached fold, checked against topic_states.version
 * inside the writer's locked transaction. A miss (or another process's write) refolds the
 * topic from its events, which TopicFold does in linear time. Cached folds forget what later
 * writes cannot change (TopicFold.forgetHistory), so that many topics fit in memory.
 */
@Injectable()
export class TopicStates {
  private readonly cache = new Map<string, FoldedTopic>();
  /** Events held by the cached folds (about 120 bytes of memory each once they forget their history, measured at 1,000,000 events). */
  private cachedEvents = 0;
  private readonly counted = new Map<string, number>();
  /** Folds already checked inside a transaction: decide and the projection ask for the same topic. */
  private readonly checked = new WeakMap<EntityManager, Map<string, FoldedTopic>>();

  constructor(
    private readonly store: EventStore,
    @Inject(SETTINGS) private readonly settings: Settings,
  ) {}

  /** The topic as recorded up to the projection's version; call with the topic locked. */
  async current(manager: EntityManager, topic: string): Promise<FoldedTopic> {
    return (await this.currentAll(manager, [topic])).get(topic)!;
  }

  /**
   * Several topics at once, with one read of their versions (unless the caller read the streams'
   * versions already, under the same locks); call with the topics locked.
   */
  async currentAll(
    manager: EntityManager,
    topics: readonly string[],
    streamVersions?: ReadonlyMap<string, number>,
  ): Promise<Map<string, FoldedTopic>> {
    if (!this.checked.has(manager)) this.checked.set(manager, new Map());
    const checked = this.checked.get(manager)!;
    const unchecked = [...new Set(topics)].filter((topic) => checked.get(topic)?.version === -1 || !checked.has(topic));
    if (unchecked.length) {
      // The projection's version of a topic is its stream's: both are written in one transaction.
      const versions = unchecked.every((topic) => streamVersions?.has(topic))
        ? streamVersions!
        : new Map(
            (
              await manager.query<{ topic: string; version: number }[]>(
                'SELECT topic, version FROM topic_states WHERE topic = ANY($1)',
                [unchecked],
              )
            ).map((r) => [r.topic, r.version]),
          );
      for (const topic of unchecked) checked.set(topic, await this.load(manager, topic, versions.get(topic) ?? 0));
    }
    return new Map(topics.map((topic) => [topic, checked.get(topic)!]));
  }

  private async load(manager: EntityManager, topic: string, version: number): Promise<FoldedTopic> {
    const hit = this.cache.get(topic);
    if (hit && hit.version === version) {
      this.cache.delete(topic); // most recently used last
      this.cache.set(topic, hit);
      return hit;
    }
    const events = (await readRecorded(this.store, topic, manager)).filter((e) => e.version <= version);
    const folded = foldedPart(projectTopic(topic, events));
    this.remember(folded);
    return folded;
  }

  /** Keeps a fold for later writers; the oldest is dropped past the capacity. */
  remember(folded: FoldedTopic): void {
    folded.fold.forgetHistory();
    this.forget(folded.topic);
    this.cache.set(folded.topic, folded);
    this.count(folded.topic, folded.version);
  }

  /** Keeps the events held by cached folds within FOLD_CACHE_EVENTS, dropping the least recently used. */
  private count(topic: string, events: number): void {
    this.cachedEvents += events - (this.counted.get(topic) ?? 0);
    this.counted.set(topic, events);
    while (this.cachedEvents > this.settings.foldCacheEvents && this.cache.size > 0)
      this.forget(this.cache.keys().next().value!);
  }

  /** After a commit: trust the fold at this version, unless a newer one replaced it meanwhile. */
  committed(folded: FoldedTopic, version: number): void {
    if (this.cache.get(folded.topic) !== folded) return;
    folded.fold.forgetHistory();
    folded.version = version;
    this.count(folded.topic, version);
  }

  forget(topic: string): void {
    this.cachedEvents -= this.counted.get(topic) ?? 0;
    this.counted.delete(topic);
    this.cache.delete(topic);
  }

  clear(): void {
    this.cache.clear();
    this.counted.clear();
    this.cachedEvents = 0;
  }
}
