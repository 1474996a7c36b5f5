import type { RecordEvent } from '../domain/records/decide.js';
import type { EventType, OccurredInput, Source, Speaker } from '../domain/events/events.js';

/** A reported claim, as a client sends it: what RECORD_EVENT_SCHEMA accepts, written as a type. */
export interface RecordEventBody {
  readonly id?: string;
  readonly topic: string;
  readonly type: EventType;
  readonly actor: string;
  readonly targets?: readonly string[];
  readonly speaker?: Speaker;
  readonly occurred: OccurredInput;
  readonly reportedAt?: string;
  readonly source: Source;
  readonly quote?: string;
  readonly summary: string;
  readonly key?: string;
  readonly refersTo?: string;
  readonly cameo?: string;
  readonly payload: Readonly<Record<string, unknown>>;
  readonly expectedVersion?: number;
}

/** The command a checked body asks for; the same for POST /events and the bulk import. */
export function toRecordEvent(body: RecordEventBody, id: string): RecordEvent {
  const { expectedVersion: _expected, reportedAt, id: _id, ...rest } = body;
  return { ...rest, id, reportedAt: reportedAt ?? body.source.publishedAt, targets: body.targets ?? [] };
}
