import { Command } from '@nestjs/cqrs';
import type { RecordEvent } from '../domain/decide.js';
import type { RecordedEvent } from '../domain/events.js';
import type { PositionView } from '../positions/position.view.js';

export interface RecordEventResult {
  readonly event: RecordedEvent;
  /** True when this id was already recorded with the same request: nothing was written. */
  readonly duplicate: boolean;
  readonly positions: readonly PositionView[];
}

export class RecordEventCommand extends Command<RecordEventResult> {
  constructor(
    readonly request: RecordEvent,
    readonly expectedVersion?: number,
    readonly correlationId?: string,
  ) {
    super();
  }
}
