import type { RecordedEvent } from '../domain/events/events.js';
import type { RecordEventBody } from '../record-event/record-event.body.js';
import { occurredInput } from '../domain/time/dates.js';

/**
 * A recorded event as the POST /events body that records it again (the import format): the
 * inverse of toRecordEvent. The CAMEO code is given as recorded (a default code given explicitly
 * decides to the same coding); the store's own fields (version, position, recordedAt) are left
 * out, as a new log gives its own.
 */
export function stanceLine(event: RecordedEvent): RecordEventBody {
  return {
    id: event.id,
    topic: event.topic,
    type: event.type,
    actor: event.actor,
    targets: event.targets,
    ...(event.speaker ? { speaker: event.speaker } : {}),
    occurred: occurredInput(event.occurred),
    reportedAt: event.reportedAt,
    source: event.source,
    ...(event.quote !== undefined ? { quote: event.quote } : {}),
    summary: event.summary,
    ...(event.key ? { key: event.key } : {}),
    ...(event.refersTo ? { refersTo: event.refersTo } : {}),
    ...(event.cameo ? { cameo: event.cameo.code } : {}),
    payload: payloadAsSent(event),
  };
}

/** A payload as sent: a correction's new `occurred` is stored parsed, and is sent as text (with its basis). */
function payloadAsSent(event: RecordedEvent): Readonly<Record<string, unknown>> {
  if (event.type !== 'correction' || !event.payload.changes.occurred)
    return event.payload as Readonly<Record<string, unknown>>;
  return {
    ...event.payload,
    changes: { ...event.payload.changes, occurred: occurredInput(event.payload.changes.occurred) },
  };
}
