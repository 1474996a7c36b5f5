import { Injectable } from '@nestjs/common';
import { EventStore } from '../event-store/event-store.js';
import type { RecordedEvent } from './domain/events/events.js';
import { readRecorded } from './recorded-events.js';

/** The recorded events of a topic, as the domain sees them. */
@Injectable()
export class TopicHistory {
  constructor(private readonly store: EventStore) {}

  async events(topic: string): Promise<RecordedEvent[]> {
    return readRecorded(this.store, topic);
  }
}
