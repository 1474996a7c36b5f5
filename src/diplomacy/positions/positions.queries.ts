import { Query } from '@nestjs/cqrs';
import type { PositionRequest } from './position-reader.js';
import type { CompactPosition, PositionView } from './position.view.js';

export class PartyPositionsQuery extends Query<PositionView[]> {
  constructor(
    readonly party: string,
    readonly request: PositionRequest,
    readonly topic?: string,
  ) {
    super();
  }
}

export class TopicPositionsQuery extends Query<PositionView[]> {
  constructor(
    readonly topic: string,
    readonly request: PositionRequest,
  ) {
    super();
  }
}

/** P's compact line per topic (or for one topic). */
export class PartyCompactPositionsQuery extends Query<CompactPosition[]> {
  constructor(
    readonly party: string,
    readonly request: PositionRequest,
    readonly topic?: string,
  ) {
    super();
  }
}
