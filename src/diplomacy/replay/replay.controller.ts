import { Controller, Get, Headers, Param, Query, Req, Res } from '@nestjs/common';
import { ApiOperation, ApiQuery, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { CatalogService } from '../../catalog/catalog.service.js';
import { answerSchema } from '../../http/api-answer.decorator.js';
import { dayParam } from '../../http/date-params.js';
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
  ) {}

  @Get()
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
  @ApiQuery({ name: 'from', required: false })
  @ApiQuery({ name: 'to', required: false })
  async replay(
    @Param('topic') topic: string,
    @Headers('accept') accept: string | undefined,
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
    @Query('from') from?: string,
    @Query('to') to?: string,
  ) {
    await this.catalog.topic(topic);
    const fromDay = from ? dayParam('from', from, '') : undefined;
    const toDay = to ? dayParam('to', to, '') : undefined;
    const live = accept?.includes('text/event-stream') ?? false;
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
      ({ steps, lastPosition } = await this.replays.replay(topic, fromDay, toDay));
    } catch (error) {
      place?.release();
      throw error;
    }
    if (!place) {
      const shown = await this.evidence.shown(steps);
      const answer: ReplayAnswer = {
        topic,
        from: fromDay ?? null,
        to: toDay ?? null,
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
    const sendStep = (step: (typeof steps)[number]) =>
      inTurn(async () => {
        const { value, evidence } = await this.evidence.shown(step);
        if (!res.writableEnded) send('step', { ...value, evidence }, step.event.position);
      });
    for (const step of steps) sendStep(step);
    inTurn(() => {
      send('caught-up', { lastPosition });
    });
    const subscription = this.replays.live(topic, lastPosition).subscribe({
      next: sendStep,
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
}
