import { Injectable, OnModuleInit } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { CatalogService } from '../../catalog/catalog.service.js';
import { copyRows } from '../../database/copy-rows.js';
import { EventStore, type InlineProjection } from '../../event-store/event-store.js';
import type { StoredEvent } from '../../event-store/stored-event.js';
import type { RecordedEvent } from '../domain/events.js';
import { type ElementBody, type ElementId, elementId, evidenceRefsIn, splitElementId, withEvidence } from '../domain/position.js';
import { EventReader } from '../events/event-reader.js';
import {
  advanceElements, answeredEventEnd, compareOrder, type EffectiveEvent, effectiveLog, type ElementVersion, firstDifferentDay, noteVersions, type OrderKey, orderKey,
} from '../domain/timeline.js';
import type { TopicState } from '../domain/topic-state.js';
import { toRecorded } from '../recorded-events.js';
import { type FoldedTopic, foldEvents, TopicStates } from './topic-states.js';

/** What one topic's events do to the projection, before it is written. */
interface TopicUpdate {
  readonly topic: string;
  readonly version: number;
  readonly last: OrderKey | null;
  readonly state: TopicState;
}

/** The end of a day's events in one topic: which elements changed that day. */
interface DayChanges {
  readonly day: string;
  readonly changes: Map<ElementId, ElementBody | null>;
}

function groupBy<T>(list: readonly T[], key: (t: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of list) {
    const group = groups.get(key(item));
    if (group) group.push(item);
    else groups.set(key(item), [item]);
  }
  return groups;
}

const versionId = (v: { party: string; key: string; validFrom: string }) => `${v.party}\u0000${v.key}\u0000${v.validFrom}`;
const REBUILD_BATCH = 50_000;
const ELEMENT_COLUMNS = ['topic', 'party', 'key', 'valid_from', 'valid_to', 'body'];
const elementRow = (topic: string, v: ElementVersion) => [topic, v.party, v.key, v.validFrom, v.validTo, JSON.stringify(v.body)];
/** Rebuilt after a full rebuild has written its rows: building them once is much faster than keeping them up to date. */
const REBUILD_INDEXES = {
  position_elements_party_day: `CREATE INDEX position_elements_party_day ON position_elements (party, (coalesce(valid_to, 'infinity'::date)), valid_from)`,
  position_elements_topic_day: `CREATE INDEX position_elements_topic_day ON position_elements (topic, party, (coalesce(valid_to, 'infinity'::date)), valid_from)`,
  position_elements_open: 'CREATE INDEX position_elements_open ON position_elements (topic, party, key) WHERE valid_to IS NULL',
};

/**
 * Keeps position_elements (every element of every party's position, with the days it held, and
 * the possibly-in-effect and retracted side lists) and topic_states in step with the log, inside
 * the append transaction (DESIGN section 8). Events that land at the end of their topic's order
 * are folded into the topic's cached fold (TopicStates) and only the elements they change are
 * written. One that lands in the past (reported late), a correction or a retraction refolds the
 * topic and rewrites its rows from the first day that changed. Both paths produce the same rows
 * as a rebuild.
 */
@Injectable()
export class PositionProjection implements InlineProjection, OnModuleInit {
  constructor(
    private readonly store: EventStore,
    private readonly catalog: CatalogService,
    private readonly dataSource: DataSource,
    private readonly states: TopicStates,
    private readonly events: EventReader,
  ) {}

  async onModuleInit(): Promise<void> {
    this.store.registerInlineProjection(this);
    // A migration that changes what the projection holds empties it; it is rebuilt from the log here.
    const [{ empty, events }] = await this.dataSource.query(
      'SELECT NOT EXISTS (SELECT 1 FROM topic_states) AS empty, EXISTS (SELECT 1 FROM events) AS events',
    );
    if (empty && events) await this.rebuildAll();
  }

  async apply(stored: readonly StoredEvent[], manager: EntityManager, afterCommit: (callback: () => void) => void = () => undefined): Promise<void> {
    const byTopic = groupBy(stored.map(toRecorded), (e) => e.topic);
    const updates: TopicUpdate[] = [];
    const advances: { topic: string; lastDay: string; days: DayChanges[] }[] = [];
    const notes: (ElementVersion & { topic: string })[] = [];
    const folds = await this.states.currentAll(manager, [...byTopic.keys()]);
    for (const [topic, events] of byTopic) {
      const folded = folds.get(topic)!;
      const sorted = this.inOrder(folded, events);
      if (!sorted) {
        const refolded = await this.refold(manager, topic, events);
        updates.push({ topic, version: refolded.version, last: refolded.last, state: refolded.fold.state });
        afterCommit(() => this.states.remember(refolded));
        continue;
      }
      // Fold in memory and note, day by day, which elements changed; the rows come after.
      const lastDay = folded.last?.countsFrom ?? '';
      const version = Math.max(...events.map((e) => e.version));
      folded.version = -1; // not to be trusted unless this transaction commits
      const days: DayChanges[] = [];
      sorted.forEach(({ event, key }, i) => {
        folded.fold.apply(event);
        if (sorted[i + 1]?.key.countsFrom === key.countsFrom) return;
        days.push({ day: key.countsFrom, changes: folded.fold.takeChanges() });
      });
      folded.last = sorted[sorted.length - 1].key;
      notes.push(...noteVersions({ events: sorted, retracted: [] }).map((v) => ({ ...v, topic })));
      updates.push({ topic, version, last: folded.last, state: folded.fold.state });
      advances.push({ topic, lastDay, days });
      afterCommit(() => this.states.committed(folded, version));
    }

    await this.embedEvidence(manager, advances);
    await this.writeAdvances(manager, advances);
    await this.insertVersions(manager, notes);
    await this.saveStates(manager, updates);
    await this.saveItems(manager, updates); // the catalog rereads them once the append commits (EventRecorded)
  }

  /**
   * Refolds a topic after events that change its past, and rewrites its rows from the first
   * day that differs: the rows that ended before that day stay as they are.
   */
  private async refold(manager: EntityManager, topic: string, fresh: readonly RecordedEvent[]): Promise<FoldedTopic> {
    const events = (await this.store.readStream(topic, 1, manager)).map(toRecorded);
    const freshIds = new Set(fresh.map((e) => e.id));
    const before = effectiveLog(events.filter((e) => !freshIds.has(e.id))).events;
    const { versions, ...folded } = foldEvents(topic, events);
    const from = firstDifferentDay(before, effectiveLog(events).events);
    await this.rewriteRows(manager, topic, versions, from);
    return folded;
  }

  /** Rebuilds one topic's rows and state from its events alone, as a full rebuild would. */
  async rebuildTopic(manager: EntityManager, topic: string): Promise<void> {
    const { versions, ...folded } = foldEvents(topic, (await this.store.readStream(topic, 1, manager)).map(toRecorded));
    await this.rewriteRows(manager, topic, versions, '-infinity');
    await this.saveStates(manager, [{ topic, version: folded.version, last: folded.last, state: folded.fold.state }]);
    this.states.forget(topic);
  }

  /** Replaces a topic's rows that end on or after `from` (all of them for '-infinity') with those of `versions`. */
  private async rewriteRows(manager: EntityManager, topic: string, versions: readonly ElementVersion[], from: string): Promise<void> {
    await manager.query(`DELETE FROM position_elements WHERE topic = $1 AND coalesce(valid_to, 'infinity'::date) >= $2::date`, [topic, from]);
    const kept = versions.filter((v) => v.validTo === null || v.validTo >= from);
    await copyRows(manager, 'position_elements', ELEMENT_COLUMNS, kept.map((v) => elementRow(topic, v)));
  }

  /** New events that all land after the end of the topic's order can be folded in; any other needs a refold. */
  private inOrder(folded: FoldedTopic, events: readonly RecordedEvent[]): EffectiveEvent[] | undefined {
    if (events.some((e) => e.type === 'correction' || e.type === 'retraction')) return undefined;
    if (Math.min(...events.map((e) => e.version)) !== folded.version + 1) return undefined; // the projection lost its place: refold
    const state = folded.fold.state;
    const keyed = events
      .map((event) => ({ event, key: orderKey(event, answeredEventEnd(state, event) ?? events.find((e) => e.id === event.refersTo)?.occurred.to) }))
      .sort((a, b) => compareOrder(a.key, b.key));
    return !folded.last || compareOrder(folded.last, keyed[0].key) < 0 ? keyed : undefined;
  }

  /**
   * Folds name evidence by reference (EvidenceRef); stored rows carry it whole, so that a
   * position is one read of rows that lie together. Resolved here with one lookup of the events.
   */
  private async embedEvidence(manager: EntityManager, advances: readonly { days: DayChanges[] }[]): Promise<void> {
    const bodies = advances.flatMap(({ days }) => days.flatMap(({ changes }) => [...changes.values()].filter((b): b is ElementBody => b !== null)));
    const refs = evidenceRefsIn(bodies);
    if (refs.size === 0) return;
    const evidence = await this.events.evidenceFor(refs, manager);
    for (const { days } of advances) {
      for (const { changes } of days) for (const [id, body] of changes) if (body !== null) changes.set(id, withEvidence(body, evidence));
    }
  }

  /**
   * Turns each topic's day-by-day changes into row changes: one read of the versions that can
   * still change (open, or closed on the topic's last day), then advanceElements in memory.
   */
  private async writeAdvances(manager: EntityManager, advances: readonly { topic: string; lastDay: string; days: DayChanges[] }[]) {
    const wanted = advances.flatMap(({ topic, lastDay, days }) =>
      [...new Set(days.flatMap((d) => [...d.changes.keys()]))].map((id) => [topic, ...splitElementId(id), lastDay || null] as const),
    );
    if (wanted.length === 0) return;
    const found: (ElementVersion & { topic: string })[] = (
      await manager.query(
        // Two lookups that each use an index (position_elements_open, _topic_day) instead of
        // one that reads every past version of the element.
        `WITH w AS (SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::date[]) AS w(topic, party, key, last_day))
         SELECT p.topic, p.party, p.key, p.valid_from::text AS valid_from, p.valid_to::text AS valid_to, p.body
           FROM w JOIN position_elements p ON p.topic = w.topic AND p.party = w.party AND p.key = w.key AND p.valid_to IS NULL
         UNION ALL
         SELECT p.topic, p.party, p.key, p.valid_from::text AS valid_from, p.valid_to::text AS valid_to, p.body
           FROM w JOIN position_elements p
             ON p.topic = w.topic AND p.party = w.party AND coalesce(p.valid_to, 'infinity'::date) = w.last_day AND p.key = w.key`,
        [wanted.map((w) => w[0]), wanted.map((w) => w[1]), wanted.map((w) => w[2]), wanted.map((w) => w[3])],
      )
    ).map((r: Record<string, unknown>) => ({ topic: r.topic, party: r.party, key: r.key, validFrom: r.valid_from, validTo: r.valid_to, body: r.body }));

    const deletes: { topic: string; party: string; key: string; validFrom: string }[] = [];
    const writes: (ElementVersion & { topic: string })[] = [];
    const foundByTopic = groupBy(found, (v) => v.topic);
    for (const { topic, lastDay, days } of advances) {
      const mine = foundByTopic.get(topic) ?? [];
      const stored = new Set(mine.map(versionId));
      const open = new Map(mine.filter((v) => v.validTo === null).map((v) => [elementId(v.party, v.key), v as ElementVersion]));
      let closedOn = new Map(mine.filter((v) => v.validTo === lastDay).map((v) => [elementId(v.party, v.key), v as ElementVersion]));
      let closedDay = lastDay;
      const touched = new Map<string, ElementVersion | null>();
      for (const { day, changes } of days) {
        if (day !== closedDay) {
          closedOn = new Map(); // versions closed on an earlier day are history now
          closedDay = day;
        }
        const result = advanceElements(
          day,
          [...changes.keys()].map((id) => open.get(id)).filter((v): v is ElementVersion => !!v),
          [...changes.keys()].map((id) => closedOn.get(id)).filter((v): v is ElementVersion => !!v),
          changes,
        );
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
      for (const [id, v] of touched) {
        if (v) writes.push({ ...v, topic });
        else if (stored.has(id)) {
          const [party, key, validFrom] = id.split('\u0000');
          deletes.push({ topic, party, key, validFrom });
        }
      }
    }
    if (deletes.length) {
      await manager.query(
        `DELETE FROM position_elements p USING unnest($1::text[], $2::text[], $3::text[], $4::date[]) AS d(topic, party, key, valid_from)
          WHERE p.topic = d.topic AND p.party = d.party AND p.key = d.key AND p.valid_from = d.valid_from`,
        [deletes.map((d) => d.topic), deletes.map((d) => d.party), deletes.map((d) => d.key), deletes.map((d) => d.validFrom)],
      );
    }
    await this.insertVersions(manager, writes, true);
  }

  private async insertVersions(manager: EntityManager, versions: readonly (ElementVersion & { topic: string })[], upsert = false): Promise<void> {
    for (let start = 0; start < versions.length; start += 5000) {
      const chunk = versions.slice(start, start + 5000);
      await manager.query(
        `INSERT INTO position_elements (topic, party, key, valid_from, valid_to, body)
         SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::date[], $5::date[], $6::jsonb[])
         ${upsert ? 'ON CONFLICT (topic, party, key, valid_from) DO UPDATE SET valid_to = EXCLUDED.valid_to, body = EXCLUDED.body' : ''}`,
        [
          chunk.map((v) => v.topic),
          chunk.map((v) => v.party),
          chunk.map((v) => v.key),
          chunk.map((v) => v.validFrom),
          chunk.map((v) => v.validTo),
          chunk.map((v) => JSON.stringify(v.body)),
        ],
      );
    }
  }

  private async saveStates(manager: EntityManager, updates: readonly TopicUpdate[]) {
    const [empty, kept] = [updates.filter((u) => u.version === 0), updates.filter((u) => u.version > 0)];
    if (empty.length) await manager.query('DELETE FROM topic_states WHERE topic = ANY($1)', [empty.map((u) => u.topic)]);
    if (kept.length === 0) return;
    await manager.query(
      `INSERT INTO topic_states (topic, version, last_event)
       SELECT * FROM unnest($1::text[], $2::int[], $3::jsonb[])
       ON CONFLICT (topic) DO UPDATE SET version = EXCLUDED.version, last_event = EXCLUDED.last_event`,
      [kept.map((u) => u.topic), kept.map((u) => u.version), kept.map((u) => (u.last ? JSON.stringify(u.last) : null))],
    );
  }

  /** A proposal that put a new item on the table adds it to the catalog. */
  private async saveItems(manager: EntityManager, updates: readonly TopicUpdate[]): Promise<void> {
    const catalog = await this.catalog.current();
    const fresh = updates.flatMap((u) =>
      Object.values(u.state.items)
        .filter((item) => !(catalog.items.get(u.topic) ?? []).some((known) => known.slug === item.slug))
        .map((item) => ({ topic: u.topic, ...item })),
    );
    if (fresh.length === 0) return;
    await manager.query(
      `INSERT INTO items (topic, slug, title) SELECT * FROM unnest($1::text[], $2::text[], $3::text[]) ON CONFLICT DO NOTHING`,
      [fresh.map((i) => i.topic), fresh.map((i) => i.slug), fresh.map((i) => i.title)],
    );
  }

  /**
   * Drops and rebuilds every topic's projection through the same fold, in one transaction (so
   * readers keep the old projection until it commits): the log is read in large ordered chunks,
   * each topic folded once, rows written with COPY, and the indexes built once at the end.
   */
  async rebuildAll(onProgress?: (eventsDone: number, eventsTotal: number) => void): Promise<number> {
    const [{ total }] = await this.dataSource.query('SELECT count(*)::int AS total FROM events');
    let topics = 0;
    let done = 0;
    await this.dataSource.transaction(async (manager) => {
      await manager.query('TRUNCATE position_elements, topic_states');
      for (const index of Object.keys(REBUILD_INDEXES)) await manager.query(`DROP INDEX IF EXISTS ${index}`);
      const flush = async (events: RecordedEvent[]) => {
        // Topics are folded one at a time as COPY asks for rows, so PostgreSQL stores one topic
        // while the next is folded, instead of each waiting for the other.
        const states: TopicUpdate[] = [];
        function* rows() {
          for (const [topic, list] of groupBy(events, (e) => e.topic)) {
            const { versions, ...folded } = foldEvents(topic, list);
            states.push({ topic, version: folded.version, last: folded.last, state: folded.fold.state });
            for (const v of versions) yield elementRow(topic, v);
          }
        }
        await copyRows(manager, 'position_elements', ELEMENT_COLUMNS, rows());
        await this.saveStates(manager, states);
        topics += states.length;
        done += events.length;
        onProgress?.(done, total);
      };
      let after = { stream: '', version: 0 };
      let carry: RecordedEvent[] = [];
      const read = (from: { stream: string; version: number }) => {
        const reading = this.store.readAfter(from, REBUILD_BATCH);
        reading.catch(() => undefined); // if the rebuild fails first, this read's own failure is not a second error
        return reading;
      };
      let next = read(after);
      for (;;) {
        const batch = (await next).map(toRecorded);
        if (batch.length === 0) break;
        after = { stream: batch[batch.length - 1].topic, version: batch[batch.length - 1].version };
        next = read(after); // the next chunk is read while this one is folded and written
        // The log comes in (topic, version) order: fold whole topics, carry the last one over.
        const all = [...carry, ...batch];
        const lastTopic = all[all.length - 1].topic;
        carry = all.filter((e) => e.topic === lastTopic);
        const complete = all.filter((e) => e.topic !== lastTopic);
        if (complete.length) await flush(complete);
      }
      if (carry.length) await flush(carry);
      for (const create of Object.values(REBUILD_INDEXES)) await manager.query(create);
    });
    await this.dataSource.query('ANALYZE position_elements, topic_states'); // fresh statistics for the planner
    this.states.clear();
    this.catalog.invalidate();
    return topics;
  }
}
