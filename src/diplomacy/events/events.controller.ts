import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { ApiAnswer } from '../../http/api-answer.decorator.js';
import { dayParam, instantParam } from '../../http/date-params.js';
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
  @ApiAnswer('EventsPage')
  @ApiOperation({
    summary: 'Recorded events, filtered, in log order, cursor-paged; each with its correction or retraction status',
  })
  list(@Query() query: ListEventsDto): Promise<EventsPage> {
    return this.events.list({
      ...query,
      from: query.from ? dayParam('from', query.from, '') : undefined,
      to: query.to ? dayParam('to', query.to, '') : undefined,
      knownAt: instantParam('knownAt', query.knownAt),
    });
  }

  @Get('events/:id')
  @ApiAnswer('EventView')
  @ApiQuery({
    name: 'knownAt',
    required: false,
    description: 'As publicly known at this instant: 404 if the event was reported later',
  })
  @ApiOperation({ summary: 'One event, with links to the corrections or retraction that concern it' })
  get(@Param('id') id: string, @Query('knownAt') knownAt?: string): Promise<EventView> {
    return this.events.get(id, instantParam('knownAt', knownAt));
  }

  @Get('topics/:topic/events/:key')
  @ApiAnswer('EventView')
  @ApiQuery({
    name: 'knownAt',
    required: false,
    description: 'As publicly known at this instant: 404 if the event was reported later',
  })
  @ApiOperation({ summary: 'One event of a topic by its readable key, as GET /events/{id} answers it' })
  async getByKey(
    @Param('topic') topic: string,
    @Param('key') key: string,
    @Query('knownAt') knownAt?: string,
  ): Promise<EventView> {
    await this.catalog.topic(topic);
    return this.events.getByKey(topic, key, instantParam('knownAt', knownAt));
  }
}
