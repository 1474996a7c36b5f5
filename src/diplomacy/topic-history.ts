import { Injectable } from '@nestjs/common';
import { EventStore, type Reader } from '../event-store/event-store.js';
import type { RecordedEvent } from './domain/events/events.js';
import { readRecorded } from './recorded-events.js';

/** The recorded events of a topic, as the domain sees them. */
@Injectable()
export class TopicHistory {
  constructor(private readonly store: EventStore) {}

  /** Read where `reader` reads (the primary without it). */
  async events(topic: string, reader?: Reader): Promise<RecordedEvent[]> {
    return readRecorded(this.store, topic, reader);
  }
}
