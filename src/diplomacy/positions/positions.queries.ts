import { Query } from '@nestjs/cqrs';
import type { PositionView } from './position.view.js';

export class PartyPositionsQuery extends Query<PositionView[]> {
  constructor(
    readonly party: string,
    readonly at: string,
    readonly knownAt?: string,
    readonly topic?: string,
  ) {
    super();
  }
}

export class TopicPositionsQuery extends Query<PositionView[]> {
  constructor(
    readonly topic: string,
    readonly at: string,
    readonly knownAt?: string,
  ) {
    super();
  }
}
