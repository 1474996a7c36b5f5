import { Injectable } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { createReadStream, readSync } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { EntityManager } from 'typeorm';
import { v5 as uuidv5 } from 'uuid';
import { CatalogService } from '../../catalog/catalog.service.js';
import { EventStore } from '../../event-store/event-store.js';
import type { StoredEvent } from '../../event-store/stored-event.js';
import { describeProblems, Problem } from '../../shared/problem.js';
import { decide, needsLog, type RecordEvent, type ReferencedEvent } from '../domain/records/decide.js';
import { DecisionFold } from '../domain/records/decision-fold.js';
import type { DiplomaticEvent, PlacedEvent, RecordedEvent } from '../domain/events/events.js';
import { asCorrected } from '../domain/time/timeline.js';
import type { TopicState } from '../domain/records/topic-state.js';
import type { OrderKey } from '../domain/time/order.js';
import { PositionProjection } from '../projection/position.projection.js';
import { toRecordEvent } from '../record-event/record-event.body.js';
import { stanceLine } from '../export/stance-jsonl.row.js';
import { requestFingerprint } from '../record-event/record-event.handler.js';
import { checkRecordEventBody } from '../record-event/record-event.validation.js';
import { withKeysResolved } from '../event-keys.js';
import { readRecorded, readReferenced, toAppend, toRecorded } from '../recorded-events.js';
import { isUuid } from '../../shared/ids.js';
import { databaseRefusal } from './database-refusal.js';
import { type ImportFormat, lineDecoder, type LineDecoder } from './foreign/line-formats.js';
import { partyMatcher } from './foreign/party-matcher.js';
import { WrongExpectedVersionError } from '../../event-store/event-store.errors.js';

export interface ImportOptions {
  /** Events per transaction (a topic with more lines takes several). */
  readonly batchSize?: number;
  /** Called as the file is checked (first half) and as topics are recorded (second half). */
  readonly onProgress?: (done: number, total: number) => void;
  /** What the lines are: POST /events bodies (stance, the default), or rows of PLOVER, POLECAT or ACLED. */
  readonly format?: ImportFormat;
  /** The topic of foreign rows that name none the catalog knows. */
  readonly topic?: string;
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
  /** The version the line expects its topic at, as POST /events checks it. */
  readonly expectedVersion?: number;
}

/** Where a checked line sits in the file, to read it again when its topic's turn comes. */
interface LineAt {
  readonly number: number;
  readonly offset: number;
  readonly length: number;
}

/** A batch's lines decided: the events to append, and the lines already recorded or refused by decide. */
interface Decided {
  alreadyThere: number;
  readonly events: { event: DiplomaticEvent; fingerprint: string }[];
  readonly bad: { line: number; message: string }[];
}

type MutableReport = {
  lines: number;
  recorded: number;
  alreadyThere: number;
  bad: { line: number; message: string }[];
};

/** The file's lines as raw bytes with their byte offsets (a line ends at "\n"). */
async function* lineBytes(path: string): AsyncGenerator<{ offset: number; bytes: Buffer }> {
  let pending: Buffer = Buffer.alloc(0);
  let offset = 0;
  for await (const chunk of createReadStream(path) as AsyncIterable<Buffer>) {
    let buffer: Buffer = pending.length ? Buffer.concat([pending, chunk]) : chunk;
    for (let end = buffer.indexOf(0x0a); end >= 0; end = buffer.indexOf(0x0a)) {
      yield { offset, bytes: buffer.subarray(0, end) };
      offset += end + 1;
      buffer = buffer.subarray(end + 1);
    }
    pending = buffer;
  }
  if (pending.length) yield { offset, bytes: pending };
}

/** Ids of lines without one: a UUID v5 of the line, so a resumed import finds them again. */
const LINE_NAMESPACE = '2d7f1b0e-9c4a-4f6e-8b3d-1a5c7e9f0b42';

/**
 * Imports a file of events, one POST /events body per line (or, with `format`, one PLOVER,
 * POLECAT or ACLED row per line, mapped to a body where the mapping is sound: foreign/), through
 * the same validation and decide as the API, in two passes:
 * 1. every line is parsed and validated (bad ones are reported by line number), and the good
 *    ones are indexed by topic;
 * 2. topic by topic, its lines are read again and decided in file order against the topic as
 *    recorded so far (kept folded in memory), then appended with COPY and projected in the same
 *    transaction, from the events in hand: the topic is folded once, in topic order, however late
 *    some were reported, and its rows written with COPY.
 * Two topics are worked on at a time, so that one is decided while PostgreSQL stores the other.
 * A line the database refuses though the checks accepted it (a constraint or trigger they do not
 * know of) is found by recording its batch again in halves, reported by line number with the
 * database's reason, and the other lines are recorded (importTopic).
 * Re-running after a crash skips what was committed (event ids).
 */
@Injectable()
export class BulkImporter {
  constructor(
    private readonly store: EventStore,
    private readonly catalog: CatalogService,
    private readonly projection: PositionProjection,
  ) {}

  async importFile(path: string, options: ImportOptions = {}): Promise<ImportReport> {
    const batchSize = options.batchSize ?? 20_000;
    const totalBytes = (await stat(path)).size;
    const report: MutableReport = { lines: 0, recorded: 0, alreadyThere: 0, bad: [] };
    const decoder = await this.decoder(options);
    const byTopic = await this.checkLines(path, totalBytes, report, decoder, options.onProgress);
    const file = await open(path, 'r');
    try {
      const queue = [...byTopic];
      let done = 0;
      let failed = false;
      const worker = async () => {
        for (let next = queue.shift(); next && !failed; next = queue.shift()) {
          const [topic, places] = next;
          // Read synchronously: a promise per line cost more than the read (12 µs a line at 1,000,000 lines).
          const lines = places.map((place) => {
            const buffer = Buffer.allocUnsafe(place.length);
            readSync(file.fd, buffer, 0, place.length, place.offset);
            return this.toLine(place.number, buffer.toString('utf8'), decoder);
          });
          await this.importTopic(topic, lines, batchSize, report).catch((error) => {
            failed = true; // the other worker stops at its next topic
            throw error;
          });
          done += places.length;
          options.onProgress?.(
            totalBytes + Math.round((done / Math.max(report.lines, 1)) * totalBytes),
            2 * totalBytes,
          );
        }
      };
      const results = await Promise.allSettled([worker(), worker()]);
      const failure = results.find((r) => r.status === 'rejected');
      if (failure) throw failure.reason;
    } finally {
      await file.close();
    }
    report.bad.sort((a, b) => a.line - b.line);
    options.onProgress?.(2 * totalBytes, 2 * totalBytes);
    return report;
  }

  /**
   * How the file's lines become POST /events bodies: as they are, or mapped from a foreign
   * format's rows, with actors matched to the catalog's parties by slug, name and alias.
   */
  private async decoder(options: ImportOptions): Promise<LineDecoder> {
    const format = options.format ?? 'stance';
    const catalog = format === 'stance' ? undefined : await this.catalog.current();
    return lineDecoder(format, {
      format,
      party: partyMatcher(catalog?.parties.values() ?? []),
      topicKnown: (slug) => catalog?.topics.has(slug) ?? false,
      topic: options.topic,
    });
  }

  /** Pass 1: parse and validate every line; the good ones, by topic, in file order. */
  private async checkLines(
    path: string,
    totalBytes: number,
    report: MutableReport,
    decoder: LineDecoder,
    onProgress?: (done: number, total: number) => void,
  ) {
    const byTopic = new Map<string, LineAt[]>();
    let sinceProgress = 0;
    for await (const { offset, bytes } of lineBytes(path)) {
      report.lines++;
      // Where the line's own bytes are, without a Windows "\r": pass 2 reads exactly these again.
      const length = bytes.length > 0 && bytes[bytes.length - 1] === 0x0d ? bytes.length - 1 : bytes.length;
      const text = bytes.toString('utf8', 0, length);
      if (++sinceProgress === 10_000) {
        sinceProgress = 0;
        onProgress?.(offset, 2 * totalBytes);
      }
      if (text.trim() === '') continue;
      const checked = this.check(report.lines, text, decoder);
      if (checked === 'header') continue;
      if ('message' in checked) report.bad.push(checked);
      else {
        const list = byTopic.get(checked.topic) ?? [];
        list.push({ number: report.lines, offset, length });
        byTopic.set(checked.topic, list);
      }
    }
    return byTopic;
  }

  /** The same check as POST /events, of the body the line is or maps to. */
  private check(
    number: number,
    text: string,
    decoder: LineDecoder,
  ): { topic: string } | { line: number; message: string } | 'header' {
    const decoded = decoder.decode(number, text);
    if ('header' in decoded) return 'header';
    if ('message' in decoded) return { line: number, message: decoded.message };
    const checked = checkRecordEventBody(decoded.body);
    if (!checked.ok) return { line: number, message: describeProblems(checked.problems) };
    return { topic: checked.body.topic };
  }

  /** Pass 2: a line that passed the check in pass 1, as a command. */
  private toLine(number: number, text: string, decoder: LineDecoder): Line {
    // Checked again for its type, and in case the file changed since pass 1 (a microsecond or so).
    const decoded = decoder.decode(number, text);
    if (!('body' in decoded)) throw new Error(`line ${number} changed since it was checked`);
    const checked = checkRecordEventBody(decoded.body);
    if (!checked.ok)
      throw new Error(`line ${number} changed since it was checked: ${describeProblems(checked.problems)}`);
    const id = checked.body.id ?? uuidv5(createHash('sha256').update(text).digest('hex'), LINE_NAMESPACE);
    const command = toRecordEvent(checked.body, id);
    const { expectedVersion } = checked.body;
    return {
      number,
      command,
      fingerprint: requestFingerprint(command),
      ...(expectedVersion !== undefined ? { expectedVersion } : {}),
    };
  }

  /**
   * One topic's lines: decided in file order against the topic as recorded, appended and projected
   * in batches, one transaction each. A batch the database refuses (a PostgreSQL error that the
   * checks did not foresee, databaseRefusal) is rolled back and recorded again in halves, each
   * half in its own transaction and in file order, down to single lines: a line refused alone is
   * reported with the database's reason, and the lines after it are decided again against the
   * topic as actually recorded (one that refers to it is then refused by decide). Nothing of this
   * runs unless a batch fails: one refused line in a batch of n costs about 2·log2(n) more
   * transactions, each folding and projecting the topic again. Measured on a generated file of
   * 20,000 lines in 20 topics with one line refused by a trigger (2 cores, loaded by other work):
   * 24-31 s without the refusal, 40-45 s with it. With no refusal the import is as fast as before
   * this retry (100,000 lines, both versions side by side, twice: 127.0 s against 128.7 s, 147.6 s
   * against 147.8 s).
   */
  private async importTopic(topic: string, lines: readonly Line[], batchSize: number, report: MutableReport) {
    let recorded: RecordedTopic | undefined;
    const record = async (piece: readonly Line[]): Promise<void> => {
      let outcome: Decided & { appended: RecordedEvent[] };
      try {
        outcome = await this.store.transaction(async (tx) => {
          // The topic's version and the lines' ids already recorded (a resumed import), the topic locked.
          const read = await tx.read(
            [topic],
            piece.map((l) => l.command.id),
          );
          recorded ??= new RecordedTopic(topic, await readRecorded(this.store, topic, tx.manager));
          const decided = await this.decideBatch(tx.manager, recorded, piece, read.stored);
          if (decided.events.length === 0) return { ...decided, appended: [] };
          const { events: stored } = await tx.append(
            [
              {
                stream: topic,
                events: decided.events.map(({ event, fingerprint }) =>
                  toAppend(event, { requestFingerprint: fingerprint, correlationId: 'import' }),
                ),
                expectedVersion: recorded.version,
              },
            ],
            { read, mode: 'bulk' },
          );
          const appended = stored.map(({ version, position, recordedAt }, i) => ({
            ...decided.events[i].event,
            version,
            position,
            recordedAt,
          }));
          await this.projection.projectAppended(tx.manager, topic, recorded.events, appended, (callback) =>
            tx.afterCommit.push(callback),
          );
          return { ...decided, appended };
        });
      } catch (error) {
        const refusal = databaseRefusal(error);
        // What it folded was not recorded. After a refusal the topic is as committed before, which
        // `recorded.events` holds; after anything else it is read again, should the import go on.
        recorded = refusal !== undefined ? recorded?.rolledBack() : undefined;
        if (refusal === undefined) throw error;
        if (piece.length === 1) {
          report.bad.push({ line: piece[0].number, message: refusal });
          return;
        }
        const half = Math.ceil(piece.length / 2);
        await record(piece.slice(0, half));
        await record(piece.slice(half));
        return;
      }
      recorded!.commit(outcome.appended);
      report.recorded += outcome.appended.length;
      report.alreadyThere += outcome.alreadyThere;
      report.bad.push(...outcome.bad);
    };
    for (let start = 0; start < lines.length; start += batchSize) await record(lines.slice(start, start + batchSize));
  }

  /**
   * Decides a batch's lines in file order, each against the topic with the lines before it. What
   * it finds counts only once the batch commits: a refused batch is decided again, in halves.
   */
  private async decideBatch(
    manager: EntityManager,
    topic: RecordedTopic,
    batch: readonly Line[],
    recordedById: ReadonlyMap<string, StoredEvent>,
  ): Promise<Decided> {
    // The request each id was recorded with (null: recorded otherwise), then each line's accepted here.
    const stored = new Map<string, string | null>(
      [...recordedById].map(([id, e]) => [id, (e.metadata.requestFingerprint as string | undefined) ?? null]),
    );
    // Events of other topics cannot be answered, but decide says so by name.
    const elsewhere = batch
      .map((l) => l.command.refersTo)
      .filter((id): id is string => !!id && isUuid(id) && !topic.referenced(id));
    const outside = await readReferenced(this.store, manager, elsewhere);
    const catalog = await this.catalog.current();
    // The catalog's items, and those the lines accepted here put on the table: a proposal's item
    // enters the catalog when it is written (PositionProjection.newItems), so a later request may
    // name it even once that proposal is retracted. Without them the import refused a statement on
    // such an item that POST /events had recorded, and an exported log did not import.
    const catalogItems = new Set(catalog.items.get(topic.topic)?.keys() ?? []);
    const now = new Date();
    const decided: Decided = { events: [], alreadyThere: 0, bad: [] };
    for (const line of batch) {
      const earlier = stored.get(line.command.id);
      if (earlier !== undefined) {
        const recorded = recordedById.get(line.command.id);
        if (earlier === line.fingerprint || (recorded && isItsExport(recorded, line))) decided.alreadyThere++;
        else
          decided.bad.push({
            line: line.number,
            message: `id ${line.command.id} is already recorded with a different request`,
          });
        continue;
      }
      // The version the line expects, as POST /events checks it (409 there): the topic as recorded
      // with the lines accepted before it.
      if (line.expectedVersion !== undefined && line.expectedVersion !== topic.current) {
        const stale = new WrongExpectedVersionError(topic.topic, line.expectedVersion, topic.current);
        decided.bad.push({ line: line.number, message: `expectedVersion: ${stale.message}` });
        continue;
      }
      try {
        // Keys as POST /events takes them: unique in the topic, and a refersTo by key made the id.
        const command = withKeysResolved(line.command, topic.keyed);
        const refersTo = command.refersTo;
        const referenced = refersTo ? (topic.referenced(refersTo) ?? outside.get(refersTo)) : undefined;
        const event = decide(command, {
          now,
          parties: catalog.parties,
          topics: catalog.topics,
          catalogItems,
          speakers: catalog.speakers,
          state: topic.state,
          ...(needsLog(command, topic.state, topic.lastRecordKey, referenced?.event) ? { log: topic.log() } : {}),
          referenced,
        });
        topic.accept(event); // later lines decide against what earlier ones recorded
        if (event.type === 'proposal') catalogItems.add(event.payload.item);
        stored.set(event.id, line.fingerprint);
        decided.events.push({ event, fingerprint: line.fingerprint });
      } catch (error) {
        if (!(error instanceof Problem)) throw error;
        decided.bad.push({ line: line.number, message: error.message });
      }
    }
    return decided;
  }
}

/**
 * A topic as an import sees it: its recorded events, what references to them read, and a fold of
 * them and of the lines accepted since, for decide (DecisionFold).
 */
class RecordedTopic {
  private readonly fold: DecisionFold;
  private readonly byId: Map<string, DiplomaticEvent>;
  private readonly retracted = new Set<string>();
  /** The keys of the topic's events and of the lines accepted since: "topic/key" -> id (as readKeys gives them). */
  readonly keyed = new Map<string, string>();

  constructor(
    readonly topic: string,
    readonly events: RecordedEvent[],
  ) {
    this.byId = new Map(events.map((e) => [e.id, e]));
    for (const e of events) if (e.key) this.keyed.set(`${topic}/${e.key}`, e.id);
    for (const e of events) if (e.type === 'retraction') this.retracted.add(e.refersTo!);
    for (const e of events) if (e.type === 'correction') this.correct(e);
    this.fold = new DecisionFold(topic, events, (id) => this.byId.get(id)?.type);
  }

  /** Lines accepted since the last commit. */
  private accepted = 0;

  get version(): number {
    return this.events.length ? this.events[this.events.length - 1].version : 0;
  }

  /** The version with the lines accepted since the last commit: what the next line's expectedVersion is checked against. */
  get current(): number {
    return this.version + this.accepted;
  }

  get state(): TopicState {
    return this.fold.state;
  }

  get lastRecordKey(): OrderKey | null {
    return this.fold.lastRecordKey;
  }

  /** The topic's events and the lines accepted since, for a line decide needs them for (needsLog). */
  log(): readonly PlacedEvent[] {
    return this.fold.log();
  }

  /** Corrections by the event they correct, recorded or accepted (placed after every recorded one, in file order). */
  private readonly corrections = new Map<string, PlacedEvent[]>();

  private correct(correction: PlacedEvent): void {
    const target = correction.refersTo!;
    this.corrections.set(target, [...(this.corrections.get(target) ?? []), correction]);
  }

  /** The event a line refers to, as its corrections describe it (as POST /events reads it: readReferenced). */
  referenced(id: string): ReferencedEvent | undefined {
    const event = this.byId.get(id);
    const corrections = this.corrections.get(id);
    return event && { event: corrections ? asCorrected(event, corrections) : event, retracted: this.retracted.has(id) };
  }

  accept(event: DiplomaticEvent): void {
    this.byId.set(event.id, event);
    if (event.key) this.keyed.set(`${this.topic}/${event.key}`, event.id);
    if (event.type === 'retraction') this.retracted.add(event.refersTo!);
    if (event.type === 'correction') {
      const last = this.events.at(-1);
      this.correct({ ...event, version: this.current + 1, position: (last?.position ?? 0) + this.accepted + 1 });
    }
    this.fold.accept(event);
    this.accepted++;
  }

  /** The topic as committed, after a transaction that accepted events was rolled back. */
  rolledBack(): RecordedTopic {
    return new RecordedTopic(this.topic, this.events);
  }

  /** The batch is committed as `recorded` (its events with their place in the log). */
  commit(recorded: readonly RecordedEvent[]): void {
    this.fold.commit(recorded); // DecisionFold appends them to `events`, the array it shares
    this.accepted = 0;
  }
}

/**
 * Whether a line is a stored event's own line in a Stance export (stanceLine, read back as a
 * file line is): the same event, whatever request first recorded it. The seed loader records the
 * seeds with requests of their own, so without this an export of a seeded database imported into
 * another seeded one (every `npm start` on the embedded database loads the seeds) refused each
 * seed line as "already recorded with a different request".
 */
function isItsExport(recorded: StoredEvent, line: Line): boolean {
  const checked = checkRecordEventBody(JSON.parse(JSON.stringify(stanceLine(toRecorded(recorded)))));
  return checked.ok && requestFingerprint(toRecordEvent(checked.body, recorded.id)) === line.fingerprint;
}
