import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { dayParam, instantParam } from '../../http/date-params.js';
import { EventReader } from './event-reader.js';
import { ListEventsDto } from './list-events.dto.js';

@ApiTags('events')
@Controller('events')
export class EventsController {
  constructor(private readonly events: EventReader) {}

  @Get()
  @ApiOperation({
    summary: 'Recorded events, filtered, in log order, cursor-paged; each with its correction or retraction status',
  })
  list(@Query() query: ListEventsDto) {
    return this.events.list({
      ...query,
      from: query.from ? dayParam('from', query.from, '') : undefined,
      to: query.to ? dayParam('to', query.to, '') : undefined,
      knownAt: instantParam('knownAt', query.knownAt),
    });
  }

  @Get(':id')
  @ApiQuery({ name: 'knownAt', required: false })
  @ApiOperation({ summary: 'One event, with links to the corrections or retraction that concern it' })
  get(@Param('id') id: string, @Query('knownAt') knownAt?: string) {
    return this.events.get(id, instantParam('knownAt', knownAt));
  }
}
