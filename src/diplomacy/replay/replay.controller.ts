import { Controller, Get, Headers, Param, Query, Req, Res } from '@nestjs/common';
import { ApiHeader, ApiOperation, ApiQuery, ApiResponse, ApiTags } from '@nestjs/swagger';
import { Problem } from '../../shared/problem.js';
import { EventStore } from '../../event-store/event-store.js';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { CatalogService } from '../../catalog/catalog.service.js';
import { answerSchema } from '../../http/api-answer.decorator.js';
import type { Reading } from '../../event-store/log-reads.js';
import { LogReading, ReadsTheLog } from '../../http/log-reading.js';
import { LOG_POSITION_HEADER } from '../../http/log-position.js';
import { dayRange, instantParam } from '../../http/date-params.js';
import { AnswerEvidence } from '../evidence/answer-evidence.js';
import { LiveStreams, StreamRefused } from './live-streams.js';
import { type ReplayAnswer, ReplayService } from './replay.service.js';

@ApiTags('replay')
@Controller('topics/:topic/replay')
export class ReplayController {
  constructor(
    private readonly replays: ReplayService,
    private readonly catalog: CatalogService,
    private readonly streams: LiveStreams,
    private readonly evidence: AnswerEvidence,
    private readonly store: EventStore,
  ) {}

  @Get()
  @ReadsTheLog()
  @ApiOperation({
    summary:
      'Replay a negotiation: its events in order, each with the positions right after it ' +
      "(evidence cited by reference into the answer's `evidence` map, or each streamed step's own). " +
      'With Accept: text/event-stream, the same as server-sent events, then live as new events are recorded.',
  })
  @ApiResponse({
    status: 200,
    description: 'The replay; as server-sent events (step, caught-up, error), each step as in `steps`',
    content: {
      'application/json': { schema: answerSchema('ReplayAnswer') },
      'text/event-stream': { schema: { type: 'string' } },
    },
  })
  @ApiQuery({ name: 'from', required: false, description: 'the first day whose steps are shown' })
  @ApiQuery({ name: 'to', required: false, description: 'the last day whose steps are shown (a stream too)' })
  @ApiQuery({
    name: 'knownAt',
    required: false,
    description:
      'As publicly known at this instant: only events reported by then, with the corrections and retractions ' +
      'reported by then (JSON only: a live stream follows the log as it is recorded)',
  })
  @ApiHeader({
    name: 'Last-Event-ID',
    required: false,
    description:
      'A stream only: the id of the last event received (a global log position), as EventSource sends it when it ' +
      'reconnects. The stream then sends, in log order, only the steps of events recorded after it, then goes on live.',
  })
  async replay(
    @LogReading() { reader, position }: Reading,
    @Param('topic') topic: string,
    @Headers('accept') accept: string | undefined,
    @Headers('last-event-id') lastEventId: string | undefined,
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
    @Query('from') from?: string,
    @Query('to') to?: string,
    @Query('knownAt') knownAt?: string,
  ) {
    await this.catalog.topic(topic);
    const range = dayRange(from, to);
    const known = instantParam('knownAt', knownAt);
    const live = accept?.includes('text/event-stream') ?? false;
    if (live && known)
      throw Problem.field(
        'invalid',
        'knownAt',
        'is for the JSON replay: a live stream follows the log as it is recorded (ask without Accept: text/event-stream)',
      );
    const resumeAfter = live && lastEventId !== undefined ? await this.resumePoint(lastEventId) : undefined;
    // The place is taken before the replay is read: a refused stream costs no read.
    let place;
    try {
      place = live ? this.streams.admit(req.ip) : undefined;
    } catch (error) {
      if (error instanceof StreamRefused) reply.header('Retry-After', String(error.retryAfterSeconds));
      throw error;
    }
    let steps, lastPosition;
    try {
      // A stream resumed after a log position: the events after it come from the live follower, which reads that gap first.
      ({ steps, lastPosition } =
        resumeAfter === undefined
          ? await this.replays.replay(topic, { ...range, ...(known ? { knownAt: known } : {}) }, reader)
          : { steps: [], lastPosition: resumeAfter });
    } catch (error) {
      place?.release();
      throw error;
    }
    if (!place) {
      const shown = await this.evidence.shown(steps, known, reader);
      const answer: ReplayAnswer = {
        topic,
        from: range.from ?? null,
        to: range.to ?? null,
        knownAt: known ?? null,
        steps: shown.value,
        evidence: shown.evidence,
      };
      reply.send(answer);
      return;
    }
    // A stream that stays open: written on the raw response, which Fastify then leaves alone.
    reply.hijack();
    const res = reply.raw;
    res.writeHead(200, {
      'Content-Type': 'text/event-stream',
      'Cache-Control': 'no-cache',
      Connection: 'keep-alive',
      'X-Accel-Buffering': 'no',
      // The replay before `caught-up` was read where the request reads; live steps come from the primary's log tail.
      [LOG_POSITION_HEADER]: String(position),
    });
    const send = (name: string, data: unknown, id?: number) =>
      res.write(`${id !== undefined ? `id: ${id}\n` : ''}event: ${name}\ndata: ${JSON.stringify(data)}\n\n`);
    // Each step carries the cards it cites: a client joining mid-stream reads it alone. Each with
    // the catalog and the reports as they are then (a speaker added while the stream is open is
    // shown with its role), sent in turn.
    let sending = Promise.resolve();
    const inTurn = (write: () => Promise<void> | void) => {
      sending = sending
        .then(async () => {
          if (!res.writableEnded) await write();
        })
        .catch((error: unknown) => {
          if (res.writableEnded) return;
          send('error', { message: error instanceof Error ? error.message : String(error) });
          res.end();
        });
    };
    // Ids are global log positions and only go up: the replay's steps (in topic order, where a late
    // report comes before events recorded earlier) carry none, `caught-up` carries the log position
    // they reach, and each live step its own (live steps come in log order). So the id a client
    // last received is where a resumed stream starts (Last-Event-ID), and it misses nothing.
    const sendStep = (step: (typeof steps)[number], id?: number) =>
      inTurn(async () => {
        const { value, evidence } = await this.evidence.shown(step);
        if (!res.writableEnded) send('step', { ...value, evidence }, id);
      });
    for (const step of steps) sendStep(step);
    inTurn(() => {
      if (resumeAfter === undefined) send('caught-up', { lastPosition }, lastPosition);
      else send('resumed', { after: resumeAfter }, resumeAfter);
    });
    const subscription = this.replays.live(topic, lastPosition, range).subscribe({
      next: ({ step, id }) => sendStep(step, id),
      error: (error: unknown) =>
        inTurn(() => {
          send('error', { message: error instanceof Error ? error.message : String(error) });
          res.end();
        }),
    });
    const heartbeat = setInterval(() => res.write(': keep-alive\n\n'), 15000);
    req.raw.on('close', () => {
      clearInterval(heartbeat);
      subscription.unsubscribe();
      place.release();
    });
  }

  /** The log position a Last-Event-ID names: a whole number, not past the end of the log. */
  private async resumePoint(header: string): Promise<number> {
    if (!/^(0|[1-9][0-9]{0,15})$/.test(header.trim()))
      throw Problem.field('invalid', 'Last-Event-ID', 'must be the id of an event this stream sent (a log position)');
    const after = Number(header.trim());
    const last = await this.store.lastPosition();
    if (after > last)
      throw Problem.field('invalid', 'Last-Event-ID', `is past the end of the log (its last position is ${last})`);
    return after;
  }
}
