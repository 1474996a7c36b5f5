import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { CatalogService } from '../../catalog/catalog.service.js';
import { EventStore } from '../../event-store/event-store.js';
import type { InlineProjection } from '../../event-store/append-transaction.js';
import type { StoredEvent } from '../../event-store/stored-event.js';
import type { DiplomaticEvent, RecordedEvent } from '../domain/events/events.js';
import type { TopicState } from '../domain/records/topic-state.js';
import {
  correctedBy,
  correctedEvidence,
  type EffectiveEvent,
  effectiveLog,
  firstDifferentDay,
} from '../domain/time/timeline.js';
import { noteVersions } from './element-versions.js';
import { readRecorded, toRecorded } from '../recorded-events.js';
import {
  copyElementLines,
  copyVersions,
  deleteVersionsFrom,
  partiesOf,
  renderCards,
  saveCorrectedCards,
  saveItems,
  saveStates,
  type TopicItem,
  type TopicRowChange,
  type TopicStateRow,
  versionLines,
  writeIncrement,
} from './element-rows.js';
import { TopicStates } from './topic-states.js';
import {
  CHANGING,
  type CommittedFold,
  type FoldedTopic,
  foldedPart,
  foldKeyed,
  keyedAfter,
  projectTopic,
  type TopicProjection,
} from './folded-topic.js';
import { type Checkpoint, FoldCheckpoints } from './fold-checkpoints.js';
import { groupBy } from '../../shared/group-by.js';

const REBUILD_BATCH = 50_000;
/**
 * What a rebuild's fold never reads: the CAMEO coding but its code (an agreement is a signing when
 * coded 057: without the code a rebuild said "accepted" where the writers had said "signed"), and
 * what only an evidence card shows (rendered by evidence_card from the stored row). Half of an
 * event's bytes, parsed for nothing.
 */
const NOT_FOLDED = ['cameo.name', 'cameo.goldstein', 'cameo.plover', 'cameo.scale', 'quote', 'speaker'];

const stateRow = (folded: FoldedTopic, version: number): TopicStateRow => ({
  topic: folded.topic,
  version,
  last: folded.last,
  parties: folded.parties(),
});

/**
 * Keeps position_elements (every element of every party's position, with the days it held, and
 * the possibly-in-effect and retracted side lists), evidence_cards and topic_states in step with
 * the log, inside the append transaction (docs/architecture.md, "The projection"). Events that
 * land at the end of their topic's order, on one day, are folded into the topic's cached fold
 * (TopicStates), and only the rows they change are written, without reading any back
 * (DayLedger). Any other events (reported late, several days at once, corrections, retractions)
 * refold the topic and rewrite its rows from the first day that changed. Both paths leave what a
 * rebuild leaves.
 */
@Injectable()
export class PositionProjection implements InlineProjection, OnModuleInit {
  constructor(
    private readonly store: EventStore,
    private readonly catalog: CatalogService,
    private readonly dataSource: DataSource,
    private readonly states: TopicStates,
    private readonly checkpoints: FoldCheckpoints,
  ) {}

  async onModuleInit(): Promise<void> {
    this.store.registerInlineProjection(this);
    // A migration that changes what the projection holds empties it; it is rebuilt from the log here.
    const [{ empty, events }] = await this.dataSource.query<{ empty: boolean; events: boolean }[]>(
      'SELECT NOT EXISTS (SELECT 1 FROM topic_states) AS empty, EXISTS (SELECT 1 FROM events) AS events',
    );
    if (empty && events) {
      // The server buffers start-up logs until its own logger is in place (main.ts, bufferLogs):
      // print them now, so the progress of a rebuild of minutes shows while it runs.
      Logger.flush();
      const log = new Logger('PositionProjection');
      log.log('the projection is empty (a migration changed what it holds): rebuilding it from the event log');
      let logged = 0;
      const topics = await this.rebuildAll((done, total) => {
        if (done - logged >= 100_000 || done === total) {
          logged = done;
          log.log(`rebuilt ${done} of ${total} events`);
        }
      });
      log.log(`projection rebuilt: ${topics} topics`);
    }
  }

  async apply(
    stored: readonly StoredEvent[],
    manager: EntityManager,
    afterCommit: (callback: () => void) => void = () => undefined,
  ): Promise<void> {
    const byTopic = groupBy(stored.map(toRecorded), (e) => e.topic);
    const folds = await this.states.currentAll(manager, [...byTopic.keys()]);
    const changes: TopicRowChange[] = [];
    const fresh: string[] = [];
    const states: TopicStateRow[] = [];
    const items: TopicItem[] = [];
    for (const [topic, events] of byTopic) {
      const folded: FoldedTopic = folds.get(topic)!;
      const keyed = this.onOneDayAtTheEnd(folded, events);
      if (!keyed) {
        const freshIds = new Set(events.map((e) => e.id));
        const before = (await readRecorded(this.store, topic, manager)).filter((e) => !freshIds.has(e.id));
        const refolded = await this.projectAppended(manager, topic, before, events, afterCommit);
        afterCommit(() => this.states.remember(refolded));
        continue;
      }
      const version = Math.max(...events.map((e) => e.version));
      folded.version = CHANGING; // not to be trusted unless this transaction commits
      changes.push(...foldKeyed(folded, keyed).map((row) => ({ ...row, topic })));
      changes.push(
        // Events folded at the end retract nothing (keyedAfter), none answers a retracted record (decide refuses it), and all are known.
        ...noteVersions({
          events: keyed,
          retracted: [],
          retractedEvents: [],
          answersToRetracted: [],
          awaitingTarget: [],
        }).map((v) => ({
          kind: 'insert' as const,
          version: { ...v, topic },
        })),
      );
      fresh.push(...events.map((e) => e.id));
      states.push(stateRow(folded, version));
      items.push(
        ...proposedItems(
          topic,
          keyed.map(({ event }) => event),
          folded.fold.state,
        ),
      );
      afterCommit(() => this.states.committed(folded, version));
    }
    if (changes.length || fresh.length || states.length || items.length) {
      await writeIncrement(manager, { changes, events: fresh, states, ...(await this.newItems(items, afterCommit)) });
    }
  }

  /**
   * New events that all land after the end of the topic's order (keyedAfter), on one day, fold
   * in; any other needs a refold. Reports fold into nothing (a source more for an event).
   */
  private onOneDayAtTheEnd(folded: FoldedTopic, appended: readonly RecordedEvent[]): EffectiveEvent[] | undefined {
    const keyed = keyedAfter(folded, appended);
    return keyed?.every(({ key }) => key.countsFrom === keyed[0].key.countsFrom) ? keyed : undefined;
  }

  /**
   * Projects events just appended to a topic whose earlier events are `before`, all in hand: the
   * topic is refolded and its rows rewritten from the first day that differs (the rows that ended
   * before it stay). The path of events that change a topic's past, and of the bulk import.
   */
  async projectAppended(
    manager: EntityManager,
    topic: string,
    before: readonly RecordedEvent[],
    fresh: readonly RecordedEvent[],
    afterCommit: (callback: () => void) => void,
  ): Promise<CommittedFold> {
    const events = [...before, ...fresh];
    const projected = projectTopic(topic, events);
    if (before.length === 0) {
      await copyVersions(manager, topic, [...projected.versions, ...projected.notes]);
    } else {
      // Parties of the old rows too: a retraction can take a party out of the topic.
      const parties = [...new Set([...(await partiesOf(manager, topic)), ...projected.parties()])];
      await this.rewriteRows(
        manager,
        projected,
        firstDifferentDay(effectiveLog(before).events, projected.log.events),
        parties,
      );
    }
    await renderCards(manager, { ids: fresh.map((e) => e.id) }, true);
    await saveCorrectedCards(manager, correctedEvidence(events, correctedBy(fresh)));
    await saveStates(manager, [stateRow(projected, projected.version)]);
    await saveItems(
      manager,
      await this.newItems(
        [...(await this.titlesNow(topic, projected.fold.state)), ...proposedItems(topic, fresh, projected.fold.state)],
        afterCommit,
      ),
    );
    return foldedPart(projected);
  }

  /** Rebuilds one topic's rows, cards and state from its events alone, as a full rebuild would. */
  async rebuildTopic(manager: EntityManager, topic: string): Promise<void> {
    const events = await readRecorded(this.store, topic, manager);
    const projected = projectTopic(topic, events);
    await this.rewriteRows(manager, projected, '-infinity', [
      ...new Set([...(await partiesOf(manager, topic)), ...projected.parties()]),
    ]);
    await renderCards(manager, { topics: [topic] });
    await saveCorrectedCards(manager, correctedEvidence(events, correctedBy(events)));
    await saveStates(manager, [stateRow(projected, projected.version)]);
    this.states.forget(topic);
  }

  /** Replaces a topic's rows that end on or after `from` ('-infinity': all of them) with those of its projection. */
  private async rewriteRows(
    manager: EntityManager,
    projected: TopicProjection,
    from: string,
    parties: readonly string[],
  ): Promise<void> {
    await deleteVersionsFrom(manager, projected.topic, parties, from);
    const kept = [...projected.versions, ...projected.notes].filter((v) => v.validTo === null || v.validTo >= from);
    await copyVersions(manager, projected.topic, kept);
  }

  /**
   * The items that proposals put on the table and the catalog does not know yet, and those the
   * events named whose title is no longer the catalog's (a restatement renamed it, a late report or
   * a retraction changed which title is the latest): written with the projection, and put in this
   * process's catalog once the transaction commits. One row per item, the last given.
   */
  private async newItems(
    items: readonly TopicItem[],
    afterCommit: (callback: () => void) => void,
  ): Promise<{ items: TopicItem[]; renamed: TopicItem[] }> {
    const catalog = await this.catalog.current();
    const last = new Map(items.map((item) => [`${item.topic}\u0000${item.slug}`, item]));
    const known = (item: TopicItem) => catalog.items.get(item.topic)?.get(item.slug);
    const added = [...last.values()].filter((item) => !known(item));
    const renamed = [...last.values()].filter((item) => {
      const row = known(item);
      return row?.namedBy === 'events' && row.title !== item.title;
    });
    const fresh = [...added, ...renamed];
    if (fresh.length) {
      afterCommit(() => {
        for (const [topic, given] of groupBy(fresh, (i) => i.topic)) this.catalog.itemsAdded(topic, given);
      });
    }
    return { items: added, renamed };
  }

  /**
   * The titles now of the items the events named in a topic, as its whole fold leaves them (the
   * latest in topic order, as answers read them at today's date): an item no counted event names
   * any more (its proposal was retracted) is called by its slug. The catalog's rows keep them, for
   * listings (GET /topics/:topic); only rows the events named take them (writeIncrement, saveItems).
   */
  private async titlesNow(topic: string, state: TopicState): Promise<TopicItem[]> {
    const named = (await this.catalog.current()).items.get(topic);
    const gone = [...(named?.values() ?? [])].filter((item) => item.namedBy === 'events' && !state.items[item.slug]);
    return [
      ...Object.values(state.items).map(({ slug, title }) => ({ topic, slug, title })),
      ...gone.map(({ slug }) => ({ topic, slug, title: slug })),
    ];
  }

  /**
   * Drops and rebuilds every topic's projection through the same fold, in one transaction (so
   * readers keep the old projection until it commits): the log is read in large ordered chunks,
   * each topic folded once, rows written with COPY, and the indexes built once at the end. A
   * chunk is folded while the one before is still being written: PostgreSQL stores one while
   * Node folds the next.
   */
  async rebuildAll(onProgress?: (eventsDone: number, eventsTotal: number) => void): Promise<number> {
    const [{ total }] = await this.dataSource.query<{ total: number }[]>('SELECT count(*)::int AS total FROM events');
    let topics = 0;
    let done = 0;
    await this.dataSource.transaction(async (manager) => {
      // Enough memory to sort the index in one pass instead of spilling to disk (this transaction only).
      await manager.query(`SET LOCAL maintenance_work_mem = '512MB'`);
      await manager.query('TRUNCATE position_elements, evidence_cards, topic_states');
      await this.checkpoints.deleteAll(manager); // saved again below, from this rebuild's folds
      // Indexes are built once at the end; only the owner may drop and build them (migrations/1763801300000).
      await manager.query('SELECT projection_indexes_dropped()');
      const fold = async (events: RecordedEvent[]) => {
        // A topic's rows become one buffer (outside the JavaScript heap: a chunk waiting to be written costs the GC nothing).
        const chunk = {
          elements: [] as Buffer[],
          topics: [] as string[],
          corrected: new Set<string>(),
          states: [] as TopicStateRow[],
          checkpoints: [] as Checkpoint[],
          items: [] as TopicItem[],
          events,
        };
        for (const [topic, list] of groupBy(events, (e) => e.topic)) {
          const projection = projectTopic(topic, list);
          chunk.elements.push(
            Buffer.from(versionLines(topic, projection.notes, versionLines(topic, projection.versions)).join('')),
          );
          chunk.topics.push(topic);
          for (const id of correctedBy(list)) chunk.corrected.add(id);
          chunk.states.push(stateRow(projection, projection.version));
          chunk.items.push(...(await this.titlesNow(topic, projection.fold.state)));
          if (this.checkpoints.worthSavingAfterRebuild(projection.version)) {
            // Its rows are made: the fold may forget what writers never read, as a cached one does.
            projection.fold.forgetHistory();
            chunk.checkpoints.push(FoldCheckpoints.of(projection));
          }
          await new Promise((resolve) => setImmediate(resolve)); // let the chunk before stream out meanwhile
        }
        return chunk;
      };
      const write = async (chunk: Awaited<ReturnType<typeof fold>>) => {
        await copyElementLines(manager, chunk.elements);
        await renderCards(manager, { topics: chunk.topics }, true);
        // A corrected record's card needs the record whole: the chunk was read without what only cards show.
        const targets = await this.store.readDocumentsByIds<RecordedEvent>([...chunk.corrected], 'topic');
        await saveCorrectedCards(
          manager,
          correctedEvidence([...targets, ...chunk.events.filter((e) => e.type === 'correction')], chunk.corrected),
          true,
        );
        await saveStates(manager, chunk.states);
        // The catalog is read again after the rebuild (invalidate, below): nothing to do after commit.
        await saveItems(manager, await this.newItems(chunk.items, () => undefined));
        await this.checkpoints.save(chunk.checkpoints, manager);
        topics += chunk.states.length;
        done += chunk.events.length;
        onProgress?.(done, total);
      };
      let writing: Promise<void> = Promise.resolve();
      const folded = async (events: RecordedEvent[]) => {
        const chunk = await fold(events);
        await writing;
        writing = write(chunk);
        writing.catch(() => undefined); // awaited below: a failure surfaces there, not as an unhandled rejection
      };
      let after = { stream: '', version: 0 };
      let carry: RecordedEvent[] = [];
      const read = (from: { stream: string; version: number }) => {
        const reading = this.store.readAfterDocuments<RecordedEvent>(from, REBUILD_BATCH, 'topic', NOT_FOLDED);
        reading.catch(() => undefined); // if the rebuild fails first, this read's own failure is not a second error
        return reading;
      };
      let next = read(after);
      for (;;) {
        const rows = await next;
        if (rows.length === 0) break;
        after = { stream: rows[rows.length - 1].stream, version: rows[rows.length - 1].version };
        const batch = rows.map((row) => row.event);
        next = read(after); // the next chunk is read while this one is folded and written
        // The log comes in (topic, version) order: fold whole topics, carry the last one over.
        const all = [...carry, ...batch];
        const lastTopic = all[all.length - 1].topic;
        carry = all.filter((e) => e.topic === lastTopic);
        const complete = all.filter((e) => e.topic !== lastTopic);
        if (complete.length) await folded(complete);
      }
      if (carry.length) await folded(carry);
      await writing;
      await manager.query('SELECT projection_indexes_built()');
    });
    await this.dataSource.query('SELECT projection_analyzed()'); // fresh statistics for the planner
    this.states.clear();
    this.catalog.invalidate();
    return topics;
  }
}

/**
 * The items these events' proposals put on the table, as the catalog keeps them: every one, also
 * where a retraction in the same append took the item away from the state again (POST /events, one
 * event a transaction, had put such an item in the catalog; the import, many a transaction, had
 * not, and refused the next line naming it), with its title now (titlesNow).
 */
function proposedItems(topic: string, events: readonly DiplomaticEvent[], state: TopicState): TopicItem[] {
  return events.flatMap((event) =>
    event.type === 'proposal'
      ? [
          {
            topic,
            slug: event.payload.item,
            // Its title now: the fold's (a later proposal of the append may have renamed it), else its slug.
            title: state.items[event.payload.item]?.title ?? event.payload.item,
          },
        ]
      : [],
  );
}
