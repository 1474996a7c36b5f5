import type { RecordedEvent } from '../domain/events/events.js';
import type { RecordEventBody } from '../record-event/record-event.body.js';
import { edtf } from './exported-event.js';

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
    occurred: edtf(event.occurred),
    reportedAt: event.reportedAt,
    source: event.source,
    ...(event.quote !== undefined ? { quote: event.quote } : {}),
    summary: event.summary,
    ...(event.key ? { key: event.key } : {}),
    ...(event.refersTo ? { refersTo: event.refersTo } : {}),
    ...(event.cameo ? { cameo: event.cameo.code } : {}),
    payload: event.payload as Readonly<Record<string, unknown>>,
  };
}
