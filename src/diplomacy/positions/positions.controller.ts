import { Controller, Get, Param, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { dayParam, instantParam, today } from '../../http/date-params.js';
import { Problem } from '../../shared/problem.js';
import type { HistoryScope, PositionRequest } from './position-reader.js';
import { PartyPositionsQuery, TopicPositionsQuery } from './positions.queries.js';

const HISTORY_SCOPES: readonly HistoryScope[] = ['window', 'all'];
const HISTORY_DESCRIPTION =
  'closed records and replaced stances shown: "window" (default) those of the 12 months before `at`, "all" every one';

/** The position request the query parameters describe, each checked (400 naming the parameter). */
function positionRequest(at?: string, knownAt?: string, history?: string): PositionRequest {
  if (history !== undefined && history !== '' && !HISTORY_SCOPES.includes(history as HistoryScope))
    throw Problem.field('invalid', 'history', `must be one of ${HISTORY_SCOPES.join(', ')}`);
  const known = instantParam('knownAt', knownAt);
  return {
    at: dayParam('at', at, today()),
    ...(known ? { knownAt: known } : {}),
    history: (history || 'window') as HistoryScope,
  };
}

@ApiTags('positions')
@Controller()
export class PositionsController {
  constructor(private readonly queries: QueryBus) {}

  @Get('parties/:party/positions')
  @ApiOperation({ summary: "A party's position on every topic it is engaged in (or one), at a date, with evidence" })
  @ApiQuery({ name: 'at', required: false, description: 'ISO date or timestamp (default: today)' })
  @ApiQuery({ name: 'knownAt', required: false, description: 'count only what was reported by then' })
  @ApiQuery({ name: 'topic', required: false })
  @ApiQuery({ name: 'history', required: false, enum: HISTORY_SCOPES, description: HISTORY_DESCRIPTION })
  async partyPositions(
    @Param('party') party: string,
    @Query('at') at?: string,
    @Query('knownAt') knownAt?: string,
    @Query('topic') topic?: string,
    @Query('history') history?: string,
  ) {
    const request = positionRequest(at, knownAt, history);
    const positions = await this.queries.execute(new PartyPositionsQuery(party, request, topic || undefined));
    return { party, at: request.at, knownAt: request.knownAt ?? null, history: request.history, positions };
  }

  @Get('topics/:topic/positions')
  @ApiOperation({ summary: "Every party's position on one topic at a date, side by side" })
  @ApiQuery({ name: 'at', required: false })
  @ApiQuery({ name: 'knownAt', required: false })
  @ApiQuery({ name: 'history', required: false, enum: HISTORY_SCOPES, description: HISTORY_DESCRIPTION })
  async topicPositions(
    @Param('topic') topic: string,
    @Query('at') at?: string,
    @Query('knownAt') knownAt?: string,
    @Query('history') history?: string,
  ) {
    const request = positionRequest(at, knownAt, history);
    const positions = await this.queries.execute(new TopicPositionsQuery(topic, request));
    return { topic, at: request.at, knownAt: request.knownAt ?? null, history: request.history, positions };
  }
}
