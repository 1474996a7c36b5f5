import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { Reader } from '../../event-store/event-store.js';
import { CatalogService, type CatalogSnapshot } from '../../catalog/catalog.service.js';
import {
  type CatalogItem,
  elementCounts,
  elementsToPosition,
  evidenceOrder,
  type HistoryWindow,
  historyWindowStart,
  type ItemTitles,
  itemsNamedBy,
  type PositionCore,
  positionOf,
  sortByEvidence,
} from '../domain/positions/position.js';
import {
  type ElementBody,
  ElementKey,
  evidenceRefsIn,
  elementKind,
  TOPIC_ITSELF,
  withEvidence,
} from '../domain/positions/elements.js';
import {
  LATEST_KINDS,
  inSentence,
  type Possessive,
  summaryOf,
  topicInSentence,
  SUMMARY_READ_KINDS,
  ACTION_DAYS,
  summaryReads,
  TURNING_POINT_DAYS,
} from '../domain/summary/summary.js';
import {
  type AnswerToRetracted,
  effectiveLog,
  evidenceIn,
  foldTopic,
  hasPosition,
  type RetractedRecord,
  type SideListCounts,
  type SideLists,
  sideListCounts,
  sideListsAt,
} from '../domain/time/timeline.js';
import { ANSWERS_TO_RETRACTED, POSSIBLY_IN_EFFECT, RETRACTED } from '../projection/element-versions.js';
import { validOnDay } from '../projection/element-spans.js';
import type { Evidence, EvidenceLookup, EvidenceRef } from '../domain/records/topic-state.js';
import { partiesOf, readCards } from '../projection/element-rows.js';
import { TopicHistory } from '../topic-history.js';
import { type CompactPosition, compactOf, type HistoryScope, type PositionView } from './position.view.js';

export interface PositionRequest {
  /** A day, YYYY-MM-DD: events whose interval ends on or before it count. */
  readonly at: string;
  /** An ISO instant: only what was reported by then counts. Absent: everything recorded. */
  readonly knownAt?: string;
  /** The last log position counted (an export's snapshot): absent, the whole log. */
  readonly upTo?: number;
  /** Closed records and replaced stances shown (default: window). */
  readonly history?: HistoryScope;
}

/** Whether a request is answered by folding the log (as known at an instant, or up to a log position) rather than from the projection. */
const folds = (request: PositionRequest) => request.knownAt !== undefined || request.upTo !== undefined;

/** The history window of a request: from 12 months before `at`, or everything. */
export function historyWindow(request: PositionRequest): HistoryWindow {
  return request.history === 'all' ? {} : { historyFrom: historyWindowStart(request.at) };
}

const noSideLists = (): SideLists => ({ possiblyInEffect: [], retracted: [], answersToRetracted: [] });
const byEvidenceOrder = (a: Evidence, b: Evidence) =>
  evidenceOrder(a) < evidenceOrder(b) ? -1 : evidenceOrder(a) > evidenceOrder(b) ? 1 : 0;

/** Both read paths list positions by topic, then party slug, whatever the database's collation. */
const bySlugs = (views: PositionView[]) =>
  views.sort((a, b) =>
    a.topic === b.topic ? (a.party < b.party ? -1 : a.party > b.party ? 1 : 0) : a.topic < b.topic ? -1 : 1,
  );

interface ElementRow {
  readonly topic: string;
  readonly party: string;
  readonly key: string;
  readonly body: string;
  /** The day this version began. */
  readonly since: string;
}

/**
 * The versions valid on the day $2 among those `where` picks out by party and topic (the party
 * index's ranges), as `e`. A party's versions on all topics come from validOnDay instead.
 */
const onDay = (where: string) =>
  `position_elements e WHERE ${where} AND e.valid_to > $2::date AND e.valid_from <= $2::date`;

/**
 * Answers "what was P's position at date X". Without knownAt it reads the temporal table
 * position_elements (one indexed lookup, side lists included) and the evidence cards its rows
 * name; with knownAt it folds the topic's events as they were known then, through the same fold.
 */
@Injectable()
export class PositionReader {
  constructor(
    private readonly catalog: CatalogService,
    private readonly history: TopicHistory,
  ) {}

  /** P's positions on every topic it is engaged in at `at` (or one topic), read where `reader` reads. */
  async partyPositions(
    party: string,
    request: PositionRequest,
    topic: string | undefined,
    reader: Reader,
  ): Promise<PositionView[]> {
    const catalog = await this.catalog.current();
    if (folds(request)) {
      const topics = topic ? [topic] : await this.topicsOf(party, reader);
      // Topic after topic: the read holds one connection for its snapshot (see compactPositions).
      const views: PositionView[] = [];
      for (const t of topics) views.push(...(await this.foldedPositions(t, request, catalog, reader, [party])));
      return bySlugs(views);
    }
    const rows = await this.elementRows(
      reader,
      topic ? onDay('e.party = $1 AND e.topic = $3') : validOnDay('$1', '$2::date'),
      [party, request.at, ...(topic ? [topic] : [])],
      historyWindow(request),
    );
    return this.assemble(reader, rows, request, catalog);
  }

  /**
   * P's compact line per topic (DESIGN section 4: stance, summary, counts, last changes). Without
   * knownAt it reads two things: the counts of each kind of element, grouped in SQL from
   * the party index alone (no body leaves the database), and the bodies of only the elements the
   * summary and the stance may read (SUMMARY_READ_KINDS: by kind, closures and reactions only if
   * their version began within the turning-point window, actions within the year, agreements
   * always (one in force is standing however old): all by the key's kind, in the index), whose evidence cards
   * it then fetches where summaryReads says so. At 1,000,000 events a busy party has about 2,800
   * elements at a late date; reading all their bodies was most of the compact answer's time.
   * A topic whose summary then says only its latest closure (saysOnlyItsLatest) also
   * reads its closures of the whole window, in one more query, so its line says what its full
   * position says (a property test and an e2e test hold the two together).
   * With knownAt: the full positions, counted.
   */
  async compactPositions(
    party: string,
    request: PositionRequest,
    topic: string | undefined,
    reader: Reader,
  ): Promise<CompactPosition[]> {
    if (folds(request)) return (await this.partyPositions(party, request, topic, reader)).map(compactOf);
    const catalog = await this.catalog.current();
    const window = historyWindow(request);
    // One topic: the party index's range of (party, topic). All topics: one short range per span.
    const versions = topic ? onDay('e.party = $1 AND e.topic = $3') : validOnDay('$1', '$2::date');
    const valid = versions + (window.historyFrom ? ' AND e.hidden_from > $2::date' : '');
    const params = [party, request.at, ...(topic ? [topic] : [])];
    const n = params.length;
    // One statement after the other: a read holds one connection for its snapshot (LogReads), which
    // runs them in turn anyway; given together, node-postgres warns that pg 9 will refuse them.
    // (The same holds for every read below.)
    const countRows = await reader.query<{ topic: string; kind: string; n: number }[]>(
      `SELECT e.topic, split_part(e.key, ':', 1) AS kind, count(*)::int AS n FROM ${valid} GROUP BY 1, 2`,
      params,
    );
    const rows = await reader.query<ElementRow[]>(
      `SELECT e.topic, e.party, e.key, e.body, e.valid_from::text AS since FROM ${valid}
           AND (split_part(e.key, ':', 1) = ANY($${n + 1}::text[])
             OR (split_part(e.key, ':', 1) = ANY($${n + 2}::text[]) AND e.valid_from >= $2::date - $${n + 3}::int)
             OR (split_part(e.key, ':', 1) = ANY($${n + 4}::text[]) AND e.valid_from >= $2::date - $${n + 5}::int))`,
      [
        ...params,
        SUMMARY_READ_KINDS.always,
        SUMMARY_READ_KINDS.recent,
        TURNING_POINT_DAYS,
        SUMMARY_READ_KINDS.year,
        ACTION_DAYS,
      ],
    );
    const counted = new Map<string, Map<string, number>>();
    for (const { topic: slug, kind, n: count } of countRows) {
      if (!counted.has(slug)) counted.set(slug, new Map());
      counted.get(slug)!.set(kind, count);
    }
    const read = new Map<string, Map<string, { body: ElementBody; whole: boolean }>>();
    for (const row of rows) {
      const body = JSON.parse(row.body) as ElementBody;
      const reads = summaryReads(row.key, body, request.at, row.since);
      if (reads === 'none') continue;
      if (!read.has(row.topic)) read.set(row.topic, new Map());
      read.get(row.topic)!.set(row.key, { body, whole: reads === 'whole' });
    }
    const cited = [...read.values()].flatMap((g) => [...g.values()].filter((r) => r.whole).map((r) => r.body));
    const named = (slug: string) => [...(read.get(slug)?.values() ?? [])].map(({ body }) => body as object);
    const titlesOfRead = () =>
      this.titlesAt(
        reader,
        [...read.keys()].map((slug) => [slug, named(slug)] as const),
        request.at,
        catalog,
      );
    let evidence = await this.evidence(reader, evidenceRefsIn(cited));
    let titles = await titlesOfRead();
    const count = (slug: string, kind: string) => counted.get(slug)?.get(kind) ?? 0;
    const coreOf = (slug: string) => {
      const elements = new Map<string, object>();
      for (const [key, { body, whole }] of read.get(slug) ?? [])
        elements.set(key, whole ? withEvidence(body, evidence) : (body as object));
      return elementsToPosition(party, slug, elements, this.items(catalog, slug), titles.get(slug), window);
    };
    const sideCounts = (slug: string): SideListCounts => ({
      possiblyInEffect: count(slug, elementKind(POSSIBLY_IN_EFFECT)),
      retracted: count(slug, elementKind(RETRACTED)),
      answersToRetracted: count(slug, elementKind(ANSWERS_TO_RETRACTED)),
    });
    const engaged = [...counted.keys()].filter((slug) =>
      hasPosition(count(slug, elementKind(ElementKey.lastChangeAffecting)) > 0, sideCounts(slug)),
    );
    const names = this.names(catalog);
    const said = (core: PositionCore) => ({
      core,
      ...summaryOf(core, request.at, names, request.knownAt, sideCounts(core.topic).possiblyInEffect),
    });
    const cores = new Map(engaged.map((slug) => [slug, said(coreOf(slug))]));
    // A topic whose summary says only its latest closure or action reads the closures of the whole
    // window and every act (summaryOf): rare, and one more query for all such topics at once.
    const bare = engaged.filter(
      (slug) => cores.get(slug)!.saysOnlyItsLatest && LATEST_KINDS.some((kind) => count(slug, kind) > 0),
    );
    if (bare.length) {
      const closures = await reader.query<ElementRow[]>(
        `SELECT e.topic, e.party, e.key, e.body, e.valid_from::text AS since FROM ${valid}
           AND e.topic = ANY($${n + 1}::text[]) AND split_part(e.key, ':', 1) = ANY($${n + 2}::text[])`,
        [...params, bare, LATEST_KINDS],
      );
      const bodies = closures.map((row) => JSON.parse(row.body) as ElementBody);
      closures.forEach((row, i) => {
        if (!read.has(row.topic)) read.set(row.topic, new Map());
        read.get(row.topic)!.set(row.key, { body: bodies[i], whole: true });
      });
      evidence = await this.evidence(reader, new Set([...evidenceRefsIn(cited), ...evidenceRefsIn(bodies)]));
      titles = await titlesOfRead();
      for (const slug of bare) cores.set(slug, said(coreOf(slug)));
    }
    const lines: CompactPosition[] = [];
    for (const [slug, { core, text }] of cores) {
      const line = compactOf(this.view(core, request, catalog, noSideLists(), text));
      lines.push({ ...line, counts: { ...elementCounts((kind) => count(slug, kind)), ...sideCounts(slug) } });
    }
    return lines.sort((a, b) => (a.topic < b.topic ? -1 : a.topic > b.topic ? 1 : 0));
  }

  /** Every engaged party's position on one topic, side by side, read where `reader` reads. */
  async topicPositions(topic: string, request: PositionRequest, reader: Reader): Promise<PositionView[]> {
    const catalog = await this.catalog.current();
    if (folds(request)) return bySlugs(await this.foldedPositions(topic, request, catalog, reader));
    const parties = (await partiesOf(reader, topic)).filter((party) => party !== TOPIC_ITSELF);
    const rows = await this.elementRows(
      reader,
      onDay('e.party = ANY($3) AND e.topic = $1'),
      [topic, request.at, parties],
      historyWindow(request),
    );
    return this.assemble(reader, rows, request, catalog);
  }

  /** Positions of some parties on some topics, read inside a write transaction (the answers to POST /events). */
  async positionsAfterWrite(
    manager: EntityManager,
    wanted: readonly { topic: string; party: string }[],
    at: string,
  ): Promise<PositionView[]> {
    if (wanted.length === 0) return [];
    const rows = await this.elementRows(
      manager,
      onDay('(e.party, e.topic) IN (SELECT * FROM unnest($3::text[], $1::text[]))'),
      [wanted.map((w) => w.topic), at, wanted.map((w) => w.party)],
    );
    return this.assemble(manager, rows, { at }, await this.catalog.current());
  }

  /** Topics a party has ever been engaged in. */
  async topicsOf(party: string, reader: Reader): Promise<string[]> {
    const rows: { topic: string }[] = await reader.query(
      'SELECT DISTINCT topic FROM position_elements WHERE party = $1 ORDER BY topic',
      [party],
    );
    return rows.map((r) => r.topic);
  }

  /**
   * The versions valid on the day $2, with their bodies as stored (JSON text, evidence by
   * reference). History elements (closed records, replaced stances) older than the window are
   * left out inside the index: each version keeps the day it leaves the default window
   * (hidden_from, from historyEnd).
   */
  private async elementRows(
    db: Reader,
    versions: string,
    params: unknown[],
    window: HistoryWindow = {},
  ): Promise<ElementRow[]> {
    return db.query(
      `SELECT e.topic, e.party, e.key, e.body, e.valid_from::text AS since FROM ${versions}` +
        (window.historyFrom ? ' AND e.hidden_from > $2::date' : ''),
      params,
    );
  }

  private async assemble(
    db: Reader,
    rows: readonly ElementRow[],
    request: PositionRequest,
    catalog: CatalogSnapshot,
  ): Promise<PositionView[]> {
    const bodies = rows.map((row) => JSON.parse(row.body) as ElementBody);
    const byTopic = new Map<string, object[]>();
    rows.forEach((row, i) => byTopic.set(row.topic, [...(byTopic.get(row.topic) ?? []), bodies[i] as object]));
    // One after the other: `db` holds one connection (a read's snapshot, or a write's transaction).
    const evidence = await this.evidence(db, evidenceRefsIn(bodies));
    const titles = await this.titlesAt(db, [...byTopic], request.at, catalog);
    const grouped = new Map<string, { elements: Map<string, object>; lists: SideLists }>();
    rows.forEach((row, i) => {
      const id = `${row.topic}\u0000${row.party}`;
      if (!grouped.has(id)) grouped.set(id, { elements: new Map(), lists: noSideLists() });
      const group = grouped.get(id)!;
      const body = withEvidence(bodies[i], evidence);
      if (row.key.startsWith(POSSIBLY_IN_EFFECT)) group.lists.possiblyInEffect.push(body as Evidence);
      else if (row.key.startsWith(RETRACTED)) group.lists.retracted.push(body as RetractedRecord);
      else if (row.key.startsWith(ANSWERS_TO_RETRACTED)) group.lists.answersToRetracted.push(body as AnswerToRetracted);
      else group.elements.set(row.key, body);
    });
    const views = [...grouped]
      .filter(([, group]) =>
        hasPosition(group.elements.has(ElementKey.lastChangeAffecting), sideListCounts(group.lists)),
      )
      .map(([id, { elements, lists }]) => {
        const [topic, party] = id.split('\u0000');
        return this.view(
          elementsToPosition(
            party,
            topic,
            elements,
            this.items(catalog, topic),
            titles.get(topic),
            historyWindow(request),
          ),
          request,
          catalog,
          lists,
        );
      });
    return bySlugs(views);
  }

  /** The evidence cards that element bodies name, in one read. */
  private async evidence(db: Reader, refs: ReadonlySet<EvidenceRef>): Promise<EvidenceLookup> {
    const cards = await readCards(db, [...refs]);
    const parsed = new Map<EvidenceRef, Evidence>();
    return (ref) => {
      let evidence = parsed.get(ref);
      if (!evidence) {
        const card = cards.get(ref);
        if (card === undefined)
          throw new Error(`no evidence card for ${ref}: the projection is out of step with the log`);
        parsed.set(ref, (evidence = JSON.parse(card) as Evidence));
      }
      return evidence;
    };
  }

  /** The slow, exact path: fold the topic's events as known at knownAt (up to the log position upTo). */
  private async foldedPositions(
    topic: string,
    request: PositionRequest,
    catalog: CatalogSnapshot,
    reader: Reader,
    only?: readonly string[],
  ) {
    const recorded = await this.history.events(topic, reader);
    const upTo = request.upTo;
    const log = effectiveLog(
      upTo === undefined ? recorded : recorded.filter((e) => e.position <= upTo),
      request.knownAt,
    );
    const state = foldTopic(topic, log.events, request.at);
    const evidence = evidenceIn(log.events);
    // Every party some event involves, then those that have a position at `at` (hasPosition).
    // (A Set: every event names two parties or more, and a topic holds thousands of events.)
    const involved = new Set([
      ...state.parties,
      ...log.events.flatMap(({ event }) => [event.actor, ...event.targets]),
      ...log.retracted.map((r) => r.evidence.actor),
      ...log.answersToRetracted.map((a) => a.evidence.actor),
      ...log.awaitingTarget.flatMap(({ event }) => [event.actor, ...event.targets]),
    ]);
    return [...involved].flatMap((party) => {
      if (only && !only.includes(party)) return [];
      const lists = sideListsAt(log, party, request.at);
      if (!hasPosition(state.parties.includes(party), sideListCounts(lists))) return [];
      return [
        this.view(
          positionOf(state, party, evidence, this.items(catalog, topic), historyWindow(request)),
          request,
          catalog,
          lists,
        ),
      ];
    });
  }

  /** Party and topic names as a summary says them. */
  private names(catalog: CatalogSnapshot) {
    return {
      party: (slug: string) => {
        const party = catalog.parties.get(slug);
        return party ? inSentence(party.name, party.plural) : slug;
      },
      topic: (slug: string) => {
        const topic = catalog.topics.get(slug);
        return topic ? topicInSentence(topic) : slug;
      },
      its: (slug: string): Possessive => (catalog.parties.get(slug)?.plural ? 'their' : 'its'),
    };
  }

  /** A position as answered; `summary`: its summary where the caller has made it already. */
  view(
    core: PositionCore,
    request: PositionRequest,
    catalog: CatalogSnapshot,
    lists: SideLists,
    summary = summaryOf(core, request.at, this.names(catalog), request.knownAt, lists.possiblyInEffect.length).text,
  ): PositionView {
    return {
      ...core,
      topicTitle: catalog.topics.get(core.topic)?.title ?? core.topic,
      partyName: catalog.parties.get(core.party)?.name ?? core.party,
      at: request.at,
      knownAt: request.knownAt ?? null,
      summary,
      // Both read paths list them in the same order: by date, then event id.
      possiblyInEffect: [...lists.possiblyInEffect].sort(byEvidenceOrder),
      retracted: sortByEvidence(lists.retracted),
      answersToRetracted: sortByEvidence(lists.answersToRetracted),
    };
  }

  /** A topic's items in catalog order; the catalog's title only for those the catalog named (an answer reads the others' at its date). */
  items(catalog: CatalogSnapshot, topic: string): CatalogItem[] {
    return [...(catalog.items.get(topic)?.values() ?? [])]
      .map((i) => (i.namedBy === 'catalog' ? { slug: i.slug, title: i.title } : { slug: i.slug }))
      .sort((a, b) => (a.slug < b.slug ? -1 : 1));
  }

  /**
   * The titles the events had given, on the day `at`, to the items named by events that these
   * element bodies name, by topic: their title elements (owned by TOPIC_ITSELF) valid that day, in
   * one read, and none where the bodies name no such item (a topic's items are mostly the
   * catalog's: a read then costs nothing).
   */
  private async titlesAt(
    db: Reader,
    topics: Iterable<readonly [string, readonly object[]]>,
    at: string,
    catalog: CatalogSnapshot,
  ): Promise<Map<string, ItemTitles>> {
    const wanted: { topic: string; key: string }[] = [];
    for (const [topic, bodies] of topics) {
      const items = catalog.items.get(topic);
      const named = new Set(bodies.flatMap(itemsNamedBy));
      for (const slug of named)
        if (items?.get(slug)?.namedBy !== 'catalog') wanted.push({ topic, key: ElementKey.title(slug) });
    }
    const titles = new Map<string, Record<string, { title: string }>>();
    if (wanted.length === 0) return titles;
    const rows = await db.query<ElementRow[]>(
      `SELECT e.topic, e.party, e.key, e.body, e.valid_from::text AS since FROM ${onDay(
        'e.party = $1 AND (e.topic, e.key) IN (SELECT * FROM unnest($3::text[], $4::text[]))',
      )}`,
      [TOPIC_ITSELF, at, wanted.map((w) => w.topic), wanted.map((w) => w.key)],
    );
    for (const row of rows) {
      if (!titles.has(row.topic)) titles.set(row.topic, {});
      titles.get(row.topic)![row.key.slice(ElementKey.title('').length)] = JSON.parse(row.body) as { title: string };
    }
    return titles;
  }
}
