import { Controller, Get, Param, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { dayParam, instantParam, today } from '../../http/date-params.js';
import { PartyPositionsQuery, TopicPositionsQuery } from './positions.queries.js';

@ApiTags('positions')
@Controller()
export class PositionsController {
  constructor(private readonly queries: QueryBus) {}

  @Get('parties/:party/positions')
  @ApiOperation({ summary: "A party's position on every topic it is engaged in (or one), at a date, with evidence" })
  @ApiQuery({ name: 'at', required: false, description: 'ISO date or timestamp (default: today)' })
  @ApiQuery({ name: 'knownAt', required: false, description: 'count only what was reported by then' })
  @ApiQuery({ name: 'topic', required: false })
  async partyPositions(
    @Param('party') party: string,
    @Query('at') at?: string,
    @Query('knownAt') knownAt?: string,
    @Query('topic') topic?: string,
  ) {
    const day = dayParam('at', at, today());
    const positions = await this.queries.execute(
      new PartyPositionsQuery(party, day, instantParam('knownAt', knownAt), topic || undefined),
    );
    return { party, at: day, knownAt: instantParam('knownAt', knownAt) ?? null, positions };
  }

  @Get('topics/:topic/positions')
  @ApiOperation({ summary: "Every party's position on one topic at a date, side by side" })
  @ApiQuery({ name: 'at', required: false })
  @ApiQuery({ name: 'knownAt', required: false })
  async topicPositions(@Param('topic') topic: string, @Query('at') at?: string, @Query('knownAt') knownAt?: string) {
    const day = dayParam('at', at, today());
    const positions = await this.queries.execute(new TopicPositionsQuery(topic, day, instantParam('knownAt', knownAt)));
    return { topic, at: day, knownAt: instantParam('knownAt', knownAt) ?? null, positions };
  }
}
