import { Controller, Get, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiAnswer } from '../http/api-answer.decorator.js';
import { LogReading, ReadsTheLog } from '../http/log-reading.js';
import type { Reading } from './log-reads.js';
import { EventStore } from './event-store.js';
import { LogQuery } from './log.query.js';
import type { LogPage } from './stored-event.js';

@ApiTags('log')
@Controller('log')
export class LogController {
  constructor(private readonly store: EventStore) {}

  @Get()
  @ReadsTheLog()
  @ApiAnswer('LogPage')
  @ApiOperation({ summary: 'The global event log in position order, cursor-paged; never skips a late commit' })
  async read(@LogReading() { reader }: Reading, @Query() query: LogQuery): Promise<LogPage> {
    const events = await this.store.readAll(query.after, query.limit, undefined, reader);
    const next = events.length ? events[events.length - 1].position : query.after;
    return { events, next, hasMore: events.length === query.limit };
  }
}
