import { Controller, Get, Param, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { ApiAnswer } from '../../http/api-answer.decorator.js';
import type { Reading } from '../../event-store/log-reads.js';
import { LogReading, ReadsTheLog } from '../../http/log-reading.js';
import { dayParam, instantParam, today } from '../../http/date-params.js';
import { Problem } from '../../shared/problem.js';
import { AnswerEvidence } from '../evidence/answer-evidence.js';
import type { PositionRequest } from './position-reader.js';
import {
  HISTORY_SCOPES,
  type HistoryScope,
  type PartyPositionsAnswer,
  type PositionView,
  type TopicPositionsAnswer,
} from './position.view.js';
import { PartyCompactPositionsQuery, PartyPositionsQuery, TopicPositionsQuery } from './positions.queries.js';

/** How much of each position an answer holds: one line per topic, or everything. */
type Detail = 'compact' | 'full';
const DETAILS: readonly Detail[] = ['compact', 'full'];
const DETAIL_DESCRIPTION =
  '"compact" (the default without `topic`): one entry per topic with stance, summary, counts and last changes; ' +
  '"full" (the default with `topic`): every element';
const EVIDENCE_NOTE =
  ' Elements cite events by reference (`evidence`, `lastChange`...: the event id, with `+<correction id>` when a ' +
  "correction changed it); the answer's `evidence` map holds each cited card once.";

function detailParam(detail: string | undefined, topic: string | undefined): Detail {
  if (detail === undefined || detail === '') return topic ? 'full' : 'compact';
  if (!DETAILS.includes(detail as Detail))
    throw Problem.field('invalid', 'detail', `must be one of ${DETAILS.join(', ')}`);
  return detail as Detail;
}

const HISTORY_DESCRIPTION =
  'closed records and replaced stances shown: "window" (default) those of the 12 months before `at`, "all" every one';

/** The position request the query parameters describe, each checked (400 naming the parameter). */
function positionRequest(
  at?: string,
  knownAt?: string,
  history?: string,
): PositionRequest & { readonly history: HistoryScope } {
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
  constructor(
    private readonly queries: QueryBus,
    private readonly evidence: AnswerEvidence,
  ) {}

  @Get('parties/:party/positions')
  @ReadsTheLog()
  @ApiAnswer('PartyPositionsAnswer')
  @ApiOperation({
    summary: "A party's position on every topic it is engaged in (or one), at a date, with evidence",
    description: DETAIL_DESCRIPTION + '.' + EVIDENCE_NOTE,
  })
  @ApiQuery({ name: 'at', required: false, description: 'ISO date or timestamp (default: today)' })
  @ApiQuery({ name: 'knownAt', required: false, description: 'count only what was reported by then' })
  @ApiQuery({ name: 'topic', required: false })
  @ApiQuery({ name: 'history', required: false, enum: HISTORY_SCOPES, description: HISTORY_DESCRIPTION })
  @ApiQuery({ name: 'detail', required: false, enum: DETAILS, description: DETAIL_DESCRIPTION })
  async partyPositions(
    @LogReading() { reader }: Reading,
    @Param('party') party: string,
    @Query('at') at?: string,
    @Query('knownAt') knownAt?: string,
    @Query('topic') topic?: string,
    @Query('history') history?: string,
    @Query('detail') detail?: string,
  ): Promise<PartyPositionsAnswer> {
    const request = positionRequest(at, knownAt, history);
    const shown = detailParam(detail, topic || undefined);
    const head = { party, at: request.at, knownAt: request.knownAt ?? null, history: request.history };
    if (shown === 'full') {
      const { value: positions, evidence } = await this.evidence.shown(
        await this.queries.execute(new PartyPositionsQuery(party, request, topic || undefined, reader)),
        request.knownAt,
        reader,
      );
      return { ...head, detail: shown, positions, evidence };
    }
    const { value: positions, evidence } = await this.evidence.shown(
      await this.queries.execute(new PartyCompactPositionsQuery(party, request, topic || undefined, reader)),
      request.knownAt,
      reader,
    );
    return { ...head, detail: shown, positions, evidence };
  }

  @Get('topics/:topic/positions')
  @ReadsTheLog()
  @ApiAnswer('TopicPositionsAnswer')
  @ApiOperation({
    summary: "Every party's position on one topic at a date, side by side",
    description: EVIDENCE_NOTE.trim(),
  })
  @ApiQuery({ name: 'at', required: false })
  @ApiQuery({ name: 'knownAt', required: false })
  @ApiQuery({ name: 'history', required: false, enum: HISTORY_SCOPES, description: HISTORY_DESCRIPTION })
  async topicPositions(
    @LogReading() { reader }: Reading,
    @Param('topic') topic: string,
    @Query('at') at?: string,
    @Query('knownAt') knownAt?: string,
    @Query('history') history?: string,
  ): Promise<TopicPositionsAnswer> {
    const request = positionRequest(at, knownAt, history);
    const views: PositionView[] = await this.queries.execute(new TopicPositionsQuery(topic, request, reader));
    const { value: positions, evidence } = await this.evidence.shown(views, request.knownAt, reader);
    return { topic, at: request.at, knownAt: request.knownAt ?? null, history: request.history, positions, evidence };
  }
}
