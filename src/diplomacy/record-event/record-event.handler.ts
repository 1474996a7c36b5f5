import { CommandHandler, EventBus, type ICommandHandler } from '@nestjs/cqrs';
import { createHash } from 'node:crypto';
import { EntityManager } from 'typeorm';
import { CatalogService } from '../../catalog/catalog.service.js';
import { EventStore } from '../../event-store/event-store.js';
import { EventIdConflictError } from '../../event-store/event-store.errors.js';
import { decide, type RecordEvent, type ReferencedEvent } from '../domain/decide.js';
import type { RecordedEvent } from '../domain/events.js';
import { PositionReader } from '../positions/position-reader.js';
import { TopicStates } from '../projection/topic-states.js';
import { refersToSql, toAppend, toRecorded } from '../recorded-events.js';
import { EventRecorded } from './event-recorded.event.js';
import { RecordEventCommand, type RecordEventResult } from './record-event.command.js';

/** What makes two requests "the same": the request itself, canonically serialised. */
export function requestFingerprint(request: RecordEvent): string {
  const canonical = (value: unknown): unknown =>
    Array.isArray(value)
      ? value.map(canonical)
      : value && typeof value === 'object'
        ? Object.fromEntries(Object.keys(value).sort().map((k) => [k, canonical((value as Record<string, unknown>)[k])]))
        : value;
  return createHash('sha256').update(JSON.stringify(canonical(request))).digest('hex');
}

/** The write path: lock the topic, decide against what is recorded, append, project, all in one transaction. */
@CommandHandler(RecordEventCommand)
export class RecordEventHandler implements ICommandHandler<RecordEventCommand, RecordEventResult> {
  constructor(
    private readonly store: EventStore,
    private readonly catalog: CatalogService,
    private readonly positions: PositionReader,
    private readonly eventBus: EventBus,
    private readonly states: TopicStates,
  ) {}

  async execute({ request, expectedVersion, correlationId }: RecordEventCommand): Promise<RecordEventResult> {
    const fingerprint = requestFingerprint(request);
    const result = await this.store.transaction(async (tx) => {
      await tx.lockStreams([request.topic]);
      const earlier = await this.storedEvent(tx.manager, request.id);
      if (earlier) {
        if (earlier.metadata.requestFingerprint !== fingerprint) throw new EventIdConflictError(request.id);
        return { event: earlier.event, duplicate: true, positions: await this.positionsAfter(tx.manager, earlier.event) };
      }
      const catalog = await this.catalog.current();
      const event = decide(request, {
        now: new Date(),
        parties: [...catalog.parties.keys()],
        topics: [...catalog.topics.keys()],
        catalogItems: (catalog.items.get(request.topic) ?? []).map((i) => i.slug),
        state: (await this.states.current(tx.manager, request.topic)).fold.state,
        referenced: request.refersTo ? await this.referenced(tx.manager, request.refersTo) : undefined,
      });
      const appended = await tx.append([
        { stream: request.topic, events: [toAppend(event, { requestFingerprint: fingerprint, ...(correlationId ? { correlationId } : {}) })], expectedVersion },
      ]);
      const recorded = toRecorded(appended.events[0]);
      return { event: recorded, duplicate: false, positions: await this.positionsAfter(tx.manager, recorded) };
    });
    if (!result.duplicate) this.eventBus.publish(new EventRecorded(result.event.topic, result.event.position, result.event.type));
    return result;
  }

  private async positionsAfter(manager: EntityManager, event: RecordedEvent) {
    const today = new Date().toISOString().slice(0, 10);
    return this.positions.positionsAfterWrite(manager, event.topic, [event.actor, ...event.targets], today);
  }

  private async storedEvent(manager: EntityManager, id: string) {
    const [stored] = await this.store.readByIds([id], manager);
    return stored ? { metadata: stored.metadata, event: toRecorded(stored) } : undefined;
  }

  private async referenced(manager: EntityManager, id: string): Promise<ReferencedEvent | undefined> {
    const found = await this.storedEvent(manager, id);
    if (!found) return undefined;
    const [retraction] = await manager.query(
      `SELECT 1 FROM events WHERE type = 'retraction' AND ${refersToSql('$1')} LIMIT 1`,
      [id],
    );
    return { event: found.event, retracted: Boolean(retraction) };
  }
}
