import { Body, Controller, Headers, HttpCode, Post, Query, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiBody, ApiOperation, ApiQuery, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { randomUUID } from 'node:crypto';
import { Problem } from '../../shared/problem.js';
import { type RecordEventAnswer, RecordEventCommand, type RecordEventResult } from './record-event.command.js';
import { RecordEventBodyPipe } from './record-event-body.pipe.js';
import { type RecordEventBody, toRecordEvent } from './record-event.body.js';
import { RECORD_EVENT_BODY } from './record-event.schema.js';
import { ApiAnswer } from '../../http/api-answer.decorator.js';
import { AnswerEvidence } from '../evidence/answer-evidence.js';
import { LOG_POSITION_HEADER } from '../../http/log-position.js';

@ApiTags('events')
@Controller('events')
export class RecordEventController {
  constructor(
    private readonly commands: CommandBus,
    private readonly evidence: AnswerEvidence,
  ) {}

  @Post()
  @HttpCode(201)
  @ApiBearerAuth()
  @ApiOperation({ summary: 'Record a reported claim as an immutable event' })
  @ApiBody({
    description: 'One schema per event type, told apart by `type`; the examples are seed events',
    schema: RECORD_EVENT_BODY,
  })
  @ApiQuery({
    name: 'include',
    required: false,
    enum: ['positions'],
    description: 'positions: answer with the new positions of the parties the event touches',
  })
  @ApiAnswer('RecordEventAnswer', {
    status: 201,
    description:
      'Recorded; the answer holds the stored event and the parties it touches (with their new positions if asked)',
  })
  @ApiAnswer('RecordEventAnswer', {
    status: 200,
    description: 'This id was already recorded with the same request; nothing was written',
  })
  @ApiResponse({
    status: '2XX',
    description: `Both answers carry the event's global log position in the ${LOG_POSITION_HEADER} header (and in event.position)`,
    headers: { [LOG_POSITION_HEADER]: { schema: { type: 'integer' }, description: "The event's global log position" } },
  })
  @ApiResponse({ status: 400, description: 'Malformed: the message and errors name every bad field' })
  @ApiResponse({ status: 409, description: 'expectedVersion is stale, or the id is taken by another request' })
  @ApiResponse({
    status: 422,
    description:
      'Unknown slug or speaker (with suggestions; add a new speaker with POST /speakers first), or a rule of the domain is broken',
  })
  async record(
    @Body(RecordEventBodyPipe) body: RecordEventBody,
    @Headers('x-correlation-id') correlationId: string | undefined,
    @Res({ passthrough: true }) res: FastifyReply,
    @Query('include') include?: string,
  ): Promise<RecordEventAnswer> {
    if (include !== undefined && include !== 'positions')
      throw Problem.field('invalid', 'include', 'must be "positions" or left out');
    const command = new RecordEventCommand(
      toRecordEvent(body, body.id ?? randomUUID()),
      body.expectedVersion,
      correlationId,
      include === 'positions',
    );
    const { positions: views, ...result }: RecordEventResult = await this.commands.execute(command);
    if (result.duplicate) res.status(200);
    // Where the write stands in the global log (also `event.position`): what a client waits for
    // on another process or a replica before it reads, to read its own write.
    res.header(LOG_POSITION_HEADER, String(result.event.position));
    if (!views) return result;
    const { value: positions, evidence } = await this.evidence.shown(views);
    return { ...result, positions, evidence };
  }
}
