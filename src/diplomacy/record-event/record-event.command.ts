import { Command } from '@nestjs/cqrs';
import type { RecordEvent } from '../domain/records/decide.js';
import type { RecordedEvent } from '../domain/events/events.js';
import type { EvidenceMap } from '../domain/positions/evidence-map.js';
import type { PositionByRef, PositionView } from '../positions/position.view.js';

export interface RecordEventResult {
  readonly event: RecordedEvent;
  /** True when this id was already recorded with the same request: nothing was written. */
  readonly duplicate: boolean;
  /** The parties whose positions on the topic the event touches (its actor and targets). */
  readonly parties: readonly string[];
  /** Their positions today, when asked for (`withPositions`). */
  readonly positions?: readonly PositionView[];
}

/**
 * POST /events' answer (201, or 200 for a repeated request): the stored event and the parties it
 * touches; with include=positions, their positions citing evidence by reference into one map.
 */
export interface RecordEventAnswer extends Omit<RecordEventResult, 'positions'> {
  readonly positions?: readonly PositionByRef[];
  readonly evidence?: EvidenceMap;
}

export class RecordEventCommand extends Command<RecordEventResult> {
  constructor(
    readonly request: RecordEvent,
    readonly expectedVersion?: number,
    readonly correlationId?: string,
    /** Answer with the touched parties' positions: a read of the projection, so only on request. */
    readonly withPositions = false,
  ) {
    super();
  }
}
