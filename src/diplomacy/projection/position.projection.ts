import { Injectable, OnModuleInit } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { CatalogService } from '../../catalog/catalog.service.js';
import { EventStore, type InlineProjection } from '../../event-store/event-store.js';
import type { StoredEvent } from '../../event-store/stored-event.js';
import type { RecordedEvent } from '../domain/events.js';
import { evolve } from '../domain/evolve.js';
import type { CatalogItem } from '../domain/position.js';
import { changedElements, type ElementId, elementId, splitElementId } from '../domain/position.js';
import {
  advanceElements, answeredEventEnd, compareOrder, effectiveLog, elementTimeline, type ElementVersion, type OrderKey, orderKey,
} from '../domain/timeline.js';
import { emptyTopicState, type TopicState } from '../domain/topic-state.js';
import { toRecorded } from '../recorded-events.js';

interface TopicRow {
  version: number;
  /** The order key of the last event folded into `state`. */
  last_event: OrderKey | null;
  state: TopicState;
}

const versionId = (v: { party: string; key: string; validFrom: string }) => `${v.party}\u0000${v.key}\u0000${v.validFrom}`;

/**
 * Keeps position_elements (every element of every party's position, with the days it held)
 * and topic_states in step with the log, inside the append transaction (DESIGN section 8).
 * An event that lands at the end of its topic's order is folded in incrementally; one that
 * lands in the past (reported late), a correction or a retraction refolds the whole topic.
 * Both paths use the same evolve and produce the same rows as a rebuild.
 */
@Injectable()
export class PositionProjection implements InlineProjection, OnModuleInit {
  constructor(
    private readonly store: EventStore,
    private readonly catalog: CatalogService,
    private readonly dataSource: DataSource,
  ) {}

  onModuleInit(): void {
    this.store.registerInlineProjection(this);
  }

  async apply(stored: readonly StoredEvent[], manager: EntityManager): Promise<void> {
    const byTopic = new Map<string, RecordedEvent[]>();
    for (const event of stored.map(toRecorded)) byTopic.set(event.topic, [...(byTopic.get(event.topic) ?? []), event]);
    let newItems = false;
    for (const [topic, events] of byTopic) {
      const itemsBefore = await this.catalogItems(manager, topic);
      const row = await this.topicRow(manager, topic);
      const sorted = this.inOrder(row, events);
      const state = sorted ? await this.advance(manager, topic, row, sorted) : await this.refold(manager, topic);
      newItems = (await this.saveItems(manager, topic, state, itemsBefore)) || newItems;
    }
    if (newItems) this.catalog.invalidate();
  }

  /** Rebuilds one topic from its events: the same fold, from scratch. */
  async refold(manager: EntityManager, topic: string): Promise<TopicState> {
    const events = (await this.store.readStream(topic, 1, manager)).map(toRecorded);
    await manager.query('DELETE FROM position_elements WHERE topic = $1', [topic]);
    if (events.length === 0) {
      await manager.query('DELETE FROM topic_states WHERE topic = $1', [topic]);
      return emptyTopicState(topic);
    }
    const log = effectiveLog(events);
    const { state, versions } = elementTimeline(topic, log.events);
    await this.insertVersions(manager, topic, versions);
    const last = log.events.length ? log.events[log.events.length - 1].key : null;
    await this.saveState(manager, topic, events.length ? events[events.length - 1].version : 0, last, state);
    return state;
  }

  /** New events that all land after the end of the topic's order can be folded in; any other needs a refold. */
  private inOrder(row: TopicRow | undefined, events: readonly RecordedEvent[]): { event: RecordedEvent; key: OrderKey }[] | undefined {
    if (events.some((e) => e.type === 'correction' || e.type === 'retraction')) return undefined;
    if (!row && events[0].version !== 1) return undefined; // the projection lost its state: rebuild it
    if (row?.last_event && row.last_event.countsFrom === undefined) return undefined; // stored by an older version
    const state = row?.state ?? emptyTopicState(events[0].topic);
    const keyed = events
      .map((event) => ({ event, key: orderKey(event, answeredEventEnd(state, event) ?? events.find((e) => e.id === event.refersTo)?.occurred.to) }))
      .sort((a, b) => compareOrder(a.key, b.key));
    return !row?.last_event || compareOrder(row.last_event, keyed[0].key) < 0 ? keyed : undefined;
  }

  private async advance(manager: EntityManager, topic: string, row: TopicRow | undefined, sorted: readonly { event: RecordedEvent; key: OrderKey }[]): Promise<TopicState> {
    let state = row?.state ?? emptyTopicState(topic);
    const lastDay = row?.last_event?.countsFrom ?? '';
    // Versions of the elements this batch touches, loaded on first touch: open ones, and those closed on a day.
    const open = new Map<ElementId, ElementVersion>();
    const closedOn = new Map<ElementId, ElementVersion>();
    const loaded = new Set<ElementId>();
    const touched = new Map<string, ElementVersion | null>();
    const stored = new Set<string>();
    let closedDay = lastDay;
    let dayStart = state;

    for (let i = 0; i < sorted.length; i++) {
      state = evolve(state, sorted[i].event);
      const day = sorted[i].key.countsFrom;
      if (sorted[i + 1]?.key.countsFrom === day) continue; // elements are compared at the end of each day
      if (day !== closedDay) {
        closedOn.clear(); // versions closed on an earlier day are history now
        closedDay = day;
      }
      const changes = changedElements(dayStart, state);
      dayStart = state;
      const fresh = [...changes.keys()].filter((id) => !loaded.has(id));
      for (const v of await this.versionsOf(manager, topic, fresh, lastDay)) {
        stored.add(versionId(v));
        if (v.validTo === null) open.set(elementId(v.party, v.key), v);
        else if (v.validTo === day) closedOn.set(elementId(v.party, v.key), v);
      }
      fresh.forEach((id) => loaded.add(id));
      const result = advanceElements(day, [...open.values()].filter((v) => changes.has(elementId(v.party, v.key))),
        [...closedOn.values()].filter((v) => changes.has(elementId(v.party, v.key))), changes);
      for (const d of result.deletes) {
        touched.set(versionId(d), null);
        open.delete(elementId(d.party, d.key));
      }
      for (const v of [...result.updates, ...result.inserts]) {
        touched.set(versionId(v), v);
        const id = elementId(v.party, v.key);
        if (v.validTo === null) {
          open.set(id, v);
          closedOn.delete(id);
        } else {
          open.delete(id);
          closedOn.set(id, v);
        }
      }
    }

    const deletes = [...touched].filter(([id, v]) => v === null && stored.has(id)).map(([id]) => id.split('\u0000'));
    if (deletes.length) {
      await manager.query(
        `DELETE FROM position_elements p USING unnest($2::text[], $3::text[], $4::date[]) AS d(party, key, valid_from)
          WHERE p.topic = $1 AND p.party = d.party AND p.key = d.key AND p.valid_from = d.valid_from`,
        [topic, deletes.map((d) => d[0]), deletes.map((d) => d[1]), deletes.map((d) => d[2])],
      );
    }
    await this.insertVersions(manager, topic, [...touched.values()].filter((v): v is ElementVersion => v !== null), true);
    await this.saveState(manager, topic, sorted.reduce((max, e) => Math.max(max, e.event.version), row?.version ?? 0), sorted[sorted.length - 1].key, state);
    return state;
  }

  /** The stored versions of some elements that can still change: open, or closed on the topic's last day. */
  private async versionsOf(manager: EntityManager, topic: string, ids: readonly ElementId[], lastDay: string): Promise<ElementVersion[]> {
    if (ids.length === 0) return [];
    const split = ids.map(splitElementId);
    return this.versions(
      manager,
      `topic = $1 AND (party, key) IN (SELECT * FROM unnest($2::text[], $3::text[])) AND (valid_to IS NULL OR valid_to = $4::date)`,
      [topic, split.map((s) => s[0]), split.map((s) => s[1]), lastDay || null],
    );
  }

  private async insertVersions(manager: EntityManager, topic: string, versions: readonly ElementVersion[], upsert = false): Promise<void> {
    for (let start = 0; start < versions.length; start += 5000) {
      const chunk = versions.slice(start, start + 5000);
      await manager.query(
        `INSERT INTO position_elements (topic, party, key, valid_from, valid_to, body)
         SELECT $1, * FROM unnest($2::text[], $3::text[], $4::date[], $5::date[], $6::jsonb[])
         ${upsert ? 'ON CONFLICT (topic, party, key, valid_from) DO UPDATE SET valid_to = EXCLUDED.valid_to, body = EXCLUDED.body' : ''}`,
        [
          topic,
          chunk.map((v) => v.party),
          chunk.map((v) => v.key),
          chunk.map((v) => v.validFrom),
          chunk.map((v) => v.validTo),
          chunk.map((v) => JSON.stringify(v.body)),
        ],
      );
    }
  }

  private async versions(manager: EntityManager, where: string, params: unknown[]): Promise<ElementVersion[]> {
    const rows = await manager.query(
      `SELECT party, key, valid_from::text AS valid_from, valid_to::text AS valid_to, body FROM position_elements WHERE ${where}`,
      params,
    );
    return rows.map((r: Record<string, unknown>) => ({
      party: r.party, key: r.key, validFrom: r.valid_from, validTo: r.valid_to, body: r.body,
    })) as ElementVersion[];
  }

  private async topicRow(manager: EntityManager, topic: string): Promise<TopicRow | undefined> {
    const [row] = await manager.query('SELECT version, last_event, state FROM topic_states WHERE topic = $1', [topic]);
    return row;
  }

  private async saveState(manager: EntityManager, topic: string, version: number, last: OrderKey | null, state: TopicState) {
    await manager.query(
      `INSERT INTO topic_states (topic, version, last_event, state) VALUES ($1, $2, $3, $4)
       ON CONFLICT (topic) DO UPDATE SET version = EXCLUDED.version, last_event = EXCLUDED.last_event, state = EXCLUDED.state`,
      [topic, version, last ? JSON.stringify(last) : null, JSON.stringify(state)],
    );
  }

  private async catalogItems(manager: EntityManager, topic: string): Promise<CatalogItem[]> {
    return manager.query('SELECT slug, title FROM items WHERE topic = $1 ORDER BY slug COLLATE "C"', [topic]);
  }

  /** A proposal that put a new item on the table adds it to the catalog. */
  private async saveItems(manager: EntityManager, topic: string, state: TopicState, known: readonly CatalogItem[]): Promise<boolean> {
    const fresh = Object.values(state.items).filter((item) => !known.some((k) => k.slug === item.slug));
    if (fresh.length === 0) return false;
    await manager.query(
      `INSERT INTO items (topic, slug, title) SELECT $1, * FROM unnest($2::text[], $3::text[]) ON CONFLICT DO NOTHING`,
      [topic, fresh.map((i) => i.slug), fresh.map((i) => i.title)],
    );
    return true;
  }

  /** Drops and rebuilds every topic's projection through the same fold. */
  async rebuildAll(onTopic?: (done: number, total: number) => void): Promise<number> {
    const topics: { stream: string }[] = await this.dataSource.query('SELECT DISTINCT stream FROM events ORDER BY stream');
    await this.dataSource.query('TRUNCATE position_elements, topic_states');
    let done = 0;
    for (const { stream } of topics) {
      await this.dataSource.transaction((manager) => this.refold(manager, stream));
      onTopic?.(++done, topics.length);
    }
    this.catalog.invalidate();
    return topics.length;
  }
}
