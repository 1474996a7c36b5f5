import type { RecordEvent } from '../domain/records/decide.js';

/**
 * A reported claim, as a client sends it: what RECORD_EVENT_SCHEMA accepts, written as a type. The
 * command (RecordEvent) with what the edge fills in left optional: the id (made when absent), when
 * it was reported (the source's publication), the targets (none), and the version the client
 * expects its topic at.
 */
export interface RecordEventBody extends Omit<RecordEvent, 'id' | 'reportedAt' | 'targets'> {
  readonly id?: string;
  readonly reportedAt?: string;
  readonly targets?: readonly string[];
  readonly expectedVersion?: number;
}

/** The command a checked body asks for; the same for POST /events and the bulk import. */
export function toRecordEvent(body: RecordEventBody, id: string): RecordEvent {
  const { expectedVersion: _expected, reportedAt, id: _id, ...rest } = body;
  return { ...rest, id, reportedAt: reportedAt ?? body.source.publishedAt, targets: body.targets ?? [] };
}
