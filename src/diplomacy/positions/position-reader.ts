import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { CatalogService, type CatalogSnapshot } from '../../catalog/catalog.service.js';
import type { RecordedEvent } from '../domain/events.js';
import { evidenceOf } from '../domain/evolve.js';
import {
  type CatalogItem, type ElementBody, elementsToPosition, inSentence, type PositionCore, positionOf, summarize,
} from '../domain/position.js';
import { effectiveLog, type EffectiveLog, foldTopic, possiblyInEffectAt } from '../domain/timeline.js';
import { TopicHistory } from '../topic-history.js';
import type { PositionView } from './position.view.js';

export interface PositionRequest {
  /** A day, YYYY-MM-DD: events whose interval ends on or before it count. */
  readonly at: string;
  /** An ISO instant: only what was reported by then counts. Absent: everything recorded. */
  readonly knownAt?: string;
}

const involves = (event: RecordedEvent, party: string) => event.actor === party || event.targets.includes(party);

/**
 * Answers "what was P's position at date X". Without knownAt it reads the temporal table
 * position_elements (one indexed lookup); with knownAt it folds the topic's events as they
 * were known then, through the same evolve.
 */
@Injectable()
export class PositionReader {
  constructor(
    private readonly dataSource: DataSource,
    private readonly catalog: CatalogService,
    private readonly history: TopicHistory,
  ) {}

  /** P's positions on every topic it is engaged in at `at` (or one topic). */
  async partyPositions(party: string, request: PositionRequest, topic?: string, manager?: EntityManager): Promise<PositionView[]> {
    const catalog = await this.catalog.current();
    if (request.knownAt) {
      const topics = topic ? [topic] : await this.topicsOf(party);
      const views = await Promise.all(topics.map((t) => this.foldedPositions(t, request, catalog, [party])));
      return views.flat();
    }
    const rows = await this.elementRows(manager ?? this.dataSource, 'party = $1' + (topic ? ' AND topic = $3' : ''), [party, request.at, ...(topic ? [topic] : [])]);
    return this.assemble(rows, request, catalog);
  }

  /** Every engaged party's position on one topic, side by side. */
  async topicPositions(topic: string, request: PositionRequest): Promise<PositionView[]> {
    const catalog = await this.catalog.current();
    if (request.knownAt) return this.foldedPositions(topic, request, catalog);
    const rows = await this.elementRows(this.dataSource, 'topic = $1', [topic, request.at]);
    return this.assemble(rows, request, catalog);
  }

  /** Positions of some parties on a topic, read inside a write transaction (the answer to POST /events). */
  async positionsAfterWrite(manager: EntityManager, topic: string, parties: readonly string[], at: string): Promise<PositionView[]> {
    const rows = await this.elementRows(manager, 'topic = $1 AND party = ANY($3)', [topic, at, parties]);
    return this.assemble(rows, { at }, await this.catalog.current(), manager);
  }

  /** Topics a party has ever been engaged in. */
  async topicsOf(party: string): Promise<string[]> {
    const rows: { topic: string }[] = await this.dataSource.query(
      'SELECT DISTINCT topic FROM position_elements WHERE party = $1 ORDER BY topic',
      [party],
    );
    return rows.map((r) => r.topic);
  }

  private async elementRows(db: DataSource | EntityManager, where: string, params: unknown[]) {
    const rows: { topic: string; party: string; key: string; body: ElementBody }[] = await db.query(
      `SELECT topic, party, key, body FROM position_elements
        WHERE ${where} AND daterange(valid_from, valid_to) @> $2::date
        ORDER BY topic, party`,
      params,
    );
    return rows;
  }

  private async assemble(
    rows: readonly { topic: string; party: string; key: string; body: ElementBody }[],
    request: PositionRequest,
    catalog: CatalogSnapshot,
    manager?: EntityManager,
  ): Promise<PositionView[]> {
    const grouped = new Map<string, Map<string, ElementBody>>();
    for (const row of rows) {
      const id = `${row.topic}\u0000${row.party}`;
      if (!grouped.has(id)) grouped.set(id, new Map());
      grouped.get(id)!.set(row.key, row.body);
    }
    const topics = [...new Set(rows.map((r) => r.topic))];
    const extras = await this.sideLists(topics, request, manager);
    return [...grouped].map(([id, elements]) => {
      const [topic, party] = id.split('\u0000');
      return this.view(elementsToPosition(party, topic, elements, this.items(catalog, topic)), request, catalog, extras.get(topic));
    });
  }

  /** The slow, exact path: fold the topic's events as known at knownAt. */
  private async foldedPositions(topic: string, request: PositionRequest, catalog: CatalogSnapshot, only?: readonly string[]) {
    const log = effectiveLog(await this.history.events(topic), request.knownAt);
    const state = foldTopic(topic, log.events, request.at);
    const parties = state.parties.filter((p) => !only || only.includes(p));
    return parties.map((party) => this.view(positionOf(state, party, this.items(catalog, topic)), request, catalog, log));
  }

  /** possiblyInEffect and retracted need the events themselves; only topics that have such events are loaded. */
  private async sideLists(topics: readonly string[], request: PositionRequest, manager?: EntityManager): Promise<Map<string, EffectiveLog>> {
    if (topics.length === 0) return new Map();
    const rows: { stream: string }[] = await (manager ?? this.dataSource).query(
      `SELECT DISTINCT stream FROM events
        WHERE stream = ANY($1) AND ((occurred_from <= $2::date AND occurred_to > $2::date) OR type = 'retraction')`,
      [topics, request.at],
    );
    const logs = new Map<string, EffectiveLog>();
    for (const { stream } of rows) logs.set(stream, effectiveLog(await this.history.events(stream), request.knownAt));
    return logs;
  }

  view(core: PositionCore, request: PositionRequest, catalog: CatalogSnapshot, log?: EffectiveLog): PositionView {
    const names = {
      party: (slug: string) => inSentence(catalog.parties.get(slug)?.name ?? slug),
      topic: (slug: string) => catalog.topics.get(slug)?.title ?? slug,
    };
    const possiblyInEffect = (log?.events ?? [])
      .filter((effective) => possiblyInEffectAt(effective, request.at) && involves(effective.event, core.party))
      .map(({ event, correctedBy }) => evidenceOf(event, correctedBy));
    const retracted = (log?.retracted ?? []).filter((r) => r.evidence.actor === core.party);
    return {
      ...core,
      topicTitle: names.topic(core.topic),
      partyName: catalog.parties.get(core.party)?.name ?? core.party,
      at: request.at,
      knownAt: request.knownAt ?? null,
      summary: summarize(core, request.at, names),
      possiblyInEffect,
      retracted,
    };
  }

  items(catalog: CatalogSnapshot, topic: string): CatalogItem[] {
    return (catalog.items.get(topic) ?? []).map((i) => ({ slug: i.slug, title: i.title })).sort((a, b) => (a.slug < b.slug ? -1 : 1));
  }
}

