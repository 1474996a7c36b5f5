import { type IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { CatalogService } from '../../catalog/catalog.service.js';
import { PositionReader } from './position-reader.js';
import { PartyCompactPositionsQuery, PartyPositionsQuery, TopicPositionsQuery } from './positions.queries.js';

@QueryHandler(PartyPositionsQuery)
export class PartyPositionsHandler implements IQueryHandler<PartyPositionsQuery> {
  constructor(
    private readonly catalog: CatalogService,
    private readonly reader: PositionReader,
  ) {}

  async execute({ party, request, topic, reader }: PartyPositionsQuery) {
    await this.catalog.party(party);
    if (topic) await this.catalog.topic(topic);
    return this.reader.partyPositions(party, request, topic, reader);
  }
}

@QueryHandler(TopicPositionsQuery)
export class TopicPositionsHandler implements IQueryHandler<TopicPositionsQuery> {
  constructor(
    private readonly catalog: CatalogService,
    private readonly reader: PositionReader,
  ) {}

  async execute({ topic, request, reader }: TopicPositionsQuery) {
    await this.catalog.topic(topic);
    return this.reader.topicPositions(topic, request, reader);
  }
}

@QueryHandler(PartyCompactPositionsQuery)
export class PartyCompactPositionsHandler implements IQueryHandler<PartyCompactPositionsQuery> {
  constructor(
    private readonly catalog: CatalogService,
    private readonly reader: PositionReader,
  ) {}

  async execute({ party, request, topic, reader }: PartyCompactPositionsQuery) {
    await this.catalog.party(party);
    if (topic) await this.catalog.topic(topic);
    return this.reader.compactPositions(party, request, topic, reader);
  }
}
