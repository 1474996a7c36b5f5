import { Query } from '@nestjs/cqrs';
import type { Reader } from '../../event-store/event-store.js';
import type { PositionRequest } from './position-reader.js';
import type { CompactPosition, PositionView } from './position.view.js';

/** Each query reads where its `reader` reads: the request's LogReading. */
export class PartyPositionsQuery extends Query<PositionView[]> {
  constructor(
    readonly party: string,
    readonly request: PositionRequest,
    readonly topic: string | undefined,
    readonly reader: Reader,
  ) {
    super();
  }
}

export class TopicPositionsQuery extends Query<PositionView[]> {
  constructor(
    readonly topic: string,
    readonly request: PositionRequest,
    readonly reader: Reader,
  ) {
    super();
  }
}

/** P's compact line per topic (or for one topic). */
export class PartyCompactPositionsQuery extends Query<CompactPosition[]> {
  constructor(
    readonly party: string,
    readonly request: PositionRequest,
    readonly topic: string | undefined,
    readonly reader: Reader,
  ) {
    super();
  }
}
