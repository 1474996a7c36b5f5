import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { EventStore } from '../../event-store/event-store.js';
import type { RecordedEvent } from '../domain/events.js';
import { effectiveLog, elementTimeline, type ElementVersion, noteVersions, type OrderKey } from '../domain/timeline.js';
import type { TopicFold } from '../domain/topic-fold.js';
import { toRecorded } from '../recorded-events.js';

/** A topic folded through every recorded event, and where it stands. */
export interface FoldedTopic {
  readonly topic: string;
  /** The stream version folded in; -1 while a transaction is changing the fold. */
  version: number;
  /** The order key of the last event in topic order. */
  last: OrderKey | null;
  readonly fold: TopicFold;
}

/** A topic folded from scratch: its state, and every element and side-list version. */
export function foldEvents(topic: string, events: readonly RecordedEvent[]): FoldedTopic & { versions: ElementVersion[] } {
  const log = effectiveLog(events);
  const { fold, versions } = elementTimeline(topic, log.events);
  return {
    topic,
    version: events.reduce((max, e) => Math.max(max, e.version), 0),
    last: log.events.length ? log.events[log.events.length - 1].key : null,
    fold,
    versions: [...versions, ...noteVersions(log)],
  };
}

/** How many folded topics a process keeps; each costs roughly its events' evidence in memory. */
const DEFAULT_CAPACITY = Number(process.env.STANCE_FOLD_CACHE_TOPICS ?? 2000);

/**
 * Folded topic states kept in memory, so a write neither reads nor rewrites a topic's whole
 * state: decide and the projection use the cached fold, checked against topic_states.version
 * inside the writer's locked transaction. A miss (or another process's write) refolds the
 * topic from its events, which TopicFold does in linear time.
 */
@Injectable()
export class TopicStates {
  private readonly cache = new Map<string, FoldedTopic>();

  constructor(private readonly store: EventStore) {}

  /** The topic as recorded up to the projection's version; call with the topic locked. */
  async current(manager: EntityManager, topic: string): Promise<FoldedTopic> {
    const [row]: { version: number }[] = await manager.query('SELECT version FROM topic_states WHERE topic = $1', [topic]);
    const version = row?.version ?? 0;
    const hit = this.cache.get(topic);
    if (hit && hit.version === version) {
      this.cache.delete(topic); // most recently used last
      this.cache.set(topic, hit);
      return hit;
    }
    const events = (await this.store.readStream(topic, 1, manager)).filter((e) => e.version <= version).map(toRecorded);
    const { versions: _rows, ...folded } = foldEvents(topic, events);
    this.remember(folded);
    return folded;
  }

  /** Keeps a fold for later writers; the oldest is dropped past the capacity. */
  remember(folded: FoldedTopic): void {
    this.cache.delete(folded.topic);
    this.cache.set(folded.topic, folded);
    while (this.cache.size > DEFAULT_CAPACITY) this.cache.delete(this.cache.keys().next().value!);
  }

  /** After a commit: trust the fold at this version, unless a newer one replaced it meanwhile. */
  committed(folded: FoldedTopic, version: number): void {
    if (this.cache.get(folded.topic) === folded) folded.version = version;
  }

  forget(topic: string): void {
    this.cache.delete(topic);
  }

  clear(): void {
    this.cache.clear();
  }
}
