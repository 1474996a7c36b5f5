import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiOperation, ApiQuery, ApiResponse, ApiTags } from '@nestjs/swagger';
import { ApiAnswer } from '../../http/api-answer.decorator.js';
import type { Reading } from '../../event-store/log-reads.js';
import { LogReading, ReadsTheLog } from '../../http/log-reading.js';
import { dayRange, instantParam } from '../../http/date-params.js';
import { CatalogService } from '../../catalog/catalog.service.js';
import { EventReader, type EventsPage, type EventView } from './event-reader.js';
import { ListEventsDto } from './list-events.dto.js';

@ApiTags('events')
@Controller()
export class EventsController {
  constructor(
    private readonly events: EventReader,
    private readonly catalog: CatalogService,
  ) {}

  @Get('events')
  @ReadsTheLog()
  @ApiAnswer('EventsPage')
  @ApiResponse({ status: 404, description: 'No topic or party by that name: `suggestions` holds close known names' })
  @ApiOperation({
    summary: 'Recorded events, filtered, in log order, cursor-paged; each with its correction or retraction status',
  })
  async list(@LogReading() { reader }: Reading, @Query() query: ListEventsDto): Promise<EventsPage> {
    // An unknown topic or party is a 404 with close names, as on every route that names one (and the
    // exports): an empty page would read as "nothing happened".
    if (query.topic) await this.catalog.topic(query.topic);
    if (query.party) await this.catalog.party(query.party);
    return this.events.list(
      {
        ...query,
        ...dayRange(query.from, query.to), // the days parsed (a raw from or to is replaced whenever given)
        knownAt: instantParam('knownAt', query.knownAt),
      },
      reader,
    );
  }

  @Get('events/:id')
  @ReadsTheLog()
  @ApiAnswer('EventView')
  @ApiQuery({
    name: 'knownAt',
    required: false,
    description: 'As publicly known at this instant: 404 if the event was reported later',
  })
  @ApiOperation({ summary: 'One event, with links to the corrections or retraction that concern it' })
  get(
    @LogReading() { reader }: Reading,
    @Param('id') id: string,
    @Query('knownAt') knownAt?: string,
  ): Promise<EventView> {
    return this.events.get(id, instantParam('knownAt', knownAt), reader);
  }

  @Get('topics/:topic/events/:key')
  @ReadsTheLog()
  @ApiAnswer('EventView')
  @ApiQuery({
    name: 'knownAt',
    required: false,
    description: 'As publicly known at this instant: 404 if the event was reported later',
  })
  @ApiOperation({ summary: 'One event of a topic by its readable key, as GET /events/{id} answers it' })
  async getByKey(
    @LogReading() { reader }: Reading,
    @Param('topic') topic: string,
    @Param('key') key: string,
    @Query('knownAt') knownAt?: string,
  ): Promise<EventView> {
    await this.catalog.topic(topic);
    return this.events.getByKey(topic, key, instantParam('knownAt', knownAt), reader);
  }
}
