import { Injectable } from '@nestjs/common';
import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { EntityManager } from 'typeorm';
import { v5 as uuidv5 } from 'uuid';
import { CatalogService } from '../../catalog/catalog.service.js';
import { EventStore } from '../../event-store/event-store.js';
import { fieldProblems } from '../../http/validation.js';
import { Problem } from '../../shared/problem.js';
import { decide, type RecordEvent, type ReferencedEvent } from '../domain/decide.js';
import type { DiplomaticEvent } from '../domain/events.js';
import { evolve } from '../domain/evolve.js';
import { emptyTopicState, type TopicState } from '../domain/topic-state.js';
import { RecordEventDto, toRecordEvent } from '../record-event/record-event.dto.js';
import { requestFingerprint } from '../record-event/record-event.handler.js';
import { toAppend, toRecorded } from '../recorded-events.js';

export interface ImportOptions {
  /** Events per transaction. */
  readonly batchSize?: number;
  /** Lines read, checked and grouped by topic at a time. */
  readonly chunkLines?: number;
  readonly onProgress?: (bytesRead: number, totalBytes: number) => void;
}

export interface ImportReport {
  readonly lines: number;
  readonly recorded: number;
  /** Lines whose event id was already recorded with the same request (a resumed import). */
  readonly alreadyThere: number;
  readonly bad: readonly { line: number; message: string }[];
}

interface Line {
  readonly number: number;
  readonly command: RecordEvent;
  readonly fingerprint: string;
}

/** Ids of lines without one: a UUID v5 of the line, so a resumed import finds them again. */
const LINE_NAMESPACE = '2d7f1b0e-9c4a-4f6e-8b3d-1a5c7e9f0b42';

/**
 * Imports a JSON-lines file of events, one POST /events body per line, through the same
 * validation, decide, append and inline projection as the API, batched in transactions.
 * Lines are grouped by topic within a chunk, so each topic's state is loaded once per batch.
 * Bad lines are reported with their numbers; the good ones are kept. Re-running after a crash
 * skips what was committed (event ids).
 */
@Injectable()
export class BulkImporter {
  constructor(
    private readonly store: EventStore,
    private readonly catalog: CatalogService,
  ) {}

  async importFile(path: string, options: ImportOptions = {}): Promise<ImportReport> {
    const batchSize = options.batchSize ?? 2000;
    const chunkLines = options.chunkLines ?? 50_000;
    const totalBytes = (await stat(path)).size;
    const report = { lines: 0, recorded: 0, alreadyThere: 0, bad: [] as { line: number; message: string }[] };
    let bytesRead = 0;
    let chunk: { number: number; text: string }[] = [];
    const reader = createInterface({ input: createReadStream(path, 'utf8'), crlfDelay: Infinity });
    for await (const text of reader) {
      report.lines++;
      bytesRead += Buffer.byteLength(text) + 1;
      if (text.trim() === '') continue;
      chunk.push({ number: report.lines, text });
      if (chunk.length >= chunkLines) {
        await this.importChunk(chunk, batchSize, report);
        chunk = [];
        options.onProgress?.(bytesRead, totalBytes);
      }
    }
    if (chunk.length) await this.importChunk(chunk, batchSize, report);
    options.onProgress?.(totalBytes, totalBytes);
    return report;
  }

  private async importChunk(chunk: readonly { number: number; text: string }[], batchSize: number, report: ImportReport & { bad: { line: number; message: string }[]; recorded: number; alreadyThere: number }) {
    const byTopic = new Map<string, Line[]>();
    for (const { number, text } of chunk) {
      const parsed = await this.parse(number, text);
      if ('message' in parsed) {
        report.bad.push(parsed);
        continue;
      }
      const list = byTopic.get(parsed.command.topic) ?? [];
      list.push(parsed);
      byTopic.set(parsed.command.topic, list);
    }
    let batch: Line[] = [];
    for (const lines of byTopic.values()) {
      for (const line of lines) {
        batch.push(line);
        if (batch.length >= batchSize) {
          await this.importBatch(batch, report);
          batch = [];
        }
      }
    }
    if (batch.length) await this.importBatch(batch, report);
  }

  private async parse(number: number, text: string): Promise<Line | { line: number; message: string }> {
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      return { line: number, message: 'not valid JSON' };
    }
    if (!json || typeof json !== 'object' || Array.isArray(json)) return { line: number, message: 'must be a JSON object (a POST /events body)' };
    const dto = plainToInstance(RecordEventDto, json);
    const errors = await validate(dto, { whitelist: true, forbidNonWhitelisted: true });
    if (errors.length) {
      return { line: number, message: fieldProblems(errors).map((p) => `${p.field}: ${p.problem}`).join('; ') };
    }
    const id = dto.id ?? uuidv5(createHash('sha256').update(text).digest('hex'), LINE_NAMESPACE);
    const command = toRecordEvent(dto, id);
    return { number, command, fingerprint: requestFingerprint(command) };
  }

  private async importBatch(lines: readonly Line[], report: { bad: { line: number; message: string }[]; recorded: number; alreadyThere: number }) {
    const recorded = await this.store.transaction(async (tx) => {
      const topics = [...new Set(lines.map((l) => l.command.topic))];
      await tx.lockStreams(topics);
      const stored = await this.fingerprints(tx.manager, lines.map((l) => l.command.id));
      const states = await this.states(tx.manager, topics);
      const inBatch = new Set(lines.map((l) => l.command.id));
      const outside = lines.map((l) => l.command.refersTo).filter((id): id is string => !!id && !inBatch.has(id));
      const referenced = await this.referenced(tx.manager, outside);
      const catalog = await this.catalog.current();
      const parties = [...catalog.parties.keys()];
      const known = [...catalog.topics.keys()];
      const now = new Date();
      const events: { event: DiplomaticEvent; fingerprint: string }[] = [];
      for (const line of lines) {
        const earlier = stored.get(line.command.id);
        if (earlier !== undefined) {
          if (earlier === line.fingerprint) report.alreadyThere++;
          else report.bad.push({ line: line.number, message: `id ${line.command.id} is already recorded with a different request` });
          continue;
        }
        const topic = line.command.topic;
        try {
          const event = decide(line.command, {
            now,
            parties,
            topics: known,
            catalogItems: (catalog.items.get(topic) ?? []).map((i) => i.slug),
            state: states.get(topic) ?? emptyTopicState(topic),
            referenced: line.command.refersTo ? referenced.get(line.command.refersTo) : undefined,
          });
          // Later lines of this batch decide against what earlier ones recorded.
          states.set(topic, evolve(states.get(topic) ?? emptyTopicState(topic), event));
          referenced.set(event.id, { event, retracted: false });
          if (event.type === 'retraction') referenced.set(event.refersTo!, { ...referenced.get(event.refersTo!)!, retracted: true });
          stored.set(event.id, line.fingerprint);
          events.push({ event, fingerprint: line.fingerprint });
        } catch (error) {
          if (!(error instanceof Problem)) throw error;
          report.bad.push({ line: line.number, message: error.message });
        }
      }
      if (events.length === 0) return [];
      const byStream = new Map<string, typeof events>();
      for (const e of events) {
        if (!byStream.has(e.event.topic)) byStream.set(e.event.topic, []);
        byStream.get(e.event.topic)!.push(e);
      }
      await tx.append(
        [...byStream].map(([stream, list]) => ({
          stream,
          events: list.map(({ event, fingerprint }) => toAppend(event, { requestFingerprint: fingerprint, correlationId: 'import' })),
        })),
      );
      return events;
    });
    for (const topic of new Set(recorded.filter((e) => e.event.type === 'proposal' || e.event.type === 'correction').map((e) => e.event.topic))) this.catalog.itemsChanged(topic);
    report.recorded += recorded.length;
  }

  private async fingerprints(manager: EntityManager, ids: readonly string[]): Promise<Map<string, string>> {
    const rows: { id: string; fingerprint: string }[] = await manager.query(
      `SELECT id, metadata->>'requestFingerprint' AS fingerprint FROM events WHERE id = ANY($1::uuid[])`,
      [ids],
    );
    return new Map(rows.map((r) => [r.id, r.fingerprint]));
  }

  private async states(manager: EntityManager, topics: readonly string[]): Promise<Map<string, TopicState>> {
    const rows: { topic: string; state: TopicState }[] = await manager.query('SELECT topic, state FROM topic_states WHERE topic = ANY($1)', [topics]);
    return new Map(rows.map((r) => [r.topic, r.state]));
  }

  private async referenced(manager: EntityManager, ids: readonly string[]): Promise<Map<string, ReferencedEvent>> {
    const found = await this.store.readByIds(ids, manager);
    if (found.length === 0) return new Map();
    const retractions: { id: string }[] = await manager.query(
      `SELECT data->>'refersTo' AS id FROM events WHERE type = 'retraction' AND data->>'refersTo' = ANY($1)`,
      [found.map((e) => e.id)],
    );
    const retracted = new Set(retractions.map((r) => r.id));
    return new Map(found.map((e) => [e.id, { event: toRecorded(e), retracted: retracted.has(e.id) }]));
  }
}
