import type { EventToAppend, StoredEvent } from '../event-store/stored-event.js';
import type { DiplomaticEvent, RecordedEvent } from './domain/events.js';

/** A diplomatic event as the store keeps it: id, type and topic in their columns, the rest in data. */
export function toAppend(event: DiplomaticEvent, metadata: Record<string, unknown>): EventToAppend {
  const { id, type, topic: _topic, ...data } = event;
  return {
    id,
    type,
    data,
    metadata,
    occurredFrom: event.occurred.from,
    occurredTo: event.occurred.to,
    reportedAt: event.reportedAt,
  };
}

export function toRecorded(stored: StoredEvent): RecordedEvent {
  return {
    ...(stored.data as Omit<DiplomaticEvent, 'id' | 'type' | 'topic'>),
    id: stored.id,
    type: stored.type,
    topic: stored.stream,
    version: stored.version,
    position: stored.position,
    recordedAt: stored.recordedAt,
  } as RecordedEvent;
}
