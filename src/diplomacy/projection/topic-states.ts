import { Inject, Injectable } from '@nestjs/common';
import type { Settings } from '../../config/settings.js';
import { SETTINGS } from '../../config/settings.provider.js';
import { EntityManager } from 'typeorm';
import { EventStore } from '../../event-store/event-store.js';
import { readRecorded } from '../recorded-events.js';
import { FoldCheckpoints } from './fold-checkpoints.js';
import {
  asCommitted,
  CHANGING,
  type CommittedFold,
  type FoldedTopic,
  foldedPart,
  foldOnward,
  isCommitted,
  projectTopic,
} from './folded-topic.js';

/**
 * Folded topic states kept in memory, so a write neither reads nor rewrites a topic's whole
 * state: decide and the projection use the cached fold, checked against topic_states.version
 * inside the writer's locked transaction. A fold that another process's writes left behind folds
 * on the events after it; a miss starts from the topic's checkpoint, if one matches the log, and
 * folds the events after it (FoldCheckpoints); where neither is exact it refolds the topic from its events, which TopicFold does in linear time. Cached folds forget what later
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
    private readonly checkpoints: FoldCheckpoints,
  ) {}

  /** The topic as recorded up to the projection's version; call with the topic locked. */
  async current(manager: EntityManager, topic: string): Promise<CommittedFold> {
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
  ): Promise<Map<string, CommittedFold>> {
    if (!this.checked.has(manager)) this.checked.set(manager, new Map());
    const checked = this.checked.get(manager)!;
    const unchecked = [...new Set(topics)].filter(
      (topic) => checked.get(topic)?.version === CHANGING || !checked.has(topic),
    );
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
    return new Map(topics.map((topic) => [topic, asCommitted(checked.get(topic)!)]));
  }

  private async load(manager: EntityManager, topic: string, version: number): Promise<CommittedFold> {
    const hit = this.cache.get(topic);
    if (hit && isCommitted(hit) && hit.version === version) {
      this.cache.delete(topic); // most recently used last
      this.cache.set(topic, hit);
      return hit;
    }
    // Behind (another process wrote the topic since): the events after it are read and folded on
    // where that is exact (keyedAfter), as after a checkpoint.
    if (hit && isCommitted(hit) && hit.version < version) {
      const from = hit.version;
      const after = await readRecorded(this.store, topic, manager, { after: from, upTo: version });
      if (this.cache.get(topic) === hit && hit.version === from && foldOnward(hit, after)) {
        this.remember(hit);
        return hit;
      }
    }
    const folded =
      (await this.checkpoints.restore(manager, topic, version)) ??
      foldedPart(projectTopic(topic, await readRecorded(this.store, topic, manager, { after: 0, upTo: version })));
    this.remember(folded);
    return folded;
  }

  /**
   * Keeps a fold loaded outside any writer's transaction (the warm-up at start) if the cache has
   * no fold of its topic and room for it without dropping another; a writer checks it against
   * the topic's version before trusting it, as any cached fold.
   */
  offer(folded: CommittedFold): boolean {
    if (this.cache.has(folded.topic) || this.cachedEvents + folded.version > this.settings.foldCacheEvents)
      return false;
    this.remember(folded);
    return true;
  }

  /** The folds cached now, each at a version a commit made it (none a transaction is changing). */
  cached(): CommittedFold[] {
    return [...this.cache.values()].filter(isCommitted);
  }

  /** Keeps a fold for later writers; the oldest is dropped past the capacity. */
  remember(folded: CommittedFold): void {
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
