import {
  applyDecorators,
  type CallHandler,
  createParamDecorator,
  type ExecutionContext,
  Injectable,
  type NestInterceptor,
  UseInterceptors,
} from '@nestjs/common';
import { ApiHeader, ApiQuery, ApiResponse } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { finalize, type Observable } from 'rxjs';
import { LogReads, REPLICA_WAIT_MS, type Reading } from '../event-store/log-reads.js';
import { Problem } from '../shared/problem.js';
import { LOG_POSITION_HEADER } from './log-position.js';

/** The query parameter that asks a read to reflect the log at least up to a position. */
export const MIN_POSITION = 'minPosition';

/** A log position as a client sends it: a whole number that PostgreSQL's bigint and JavaScript both hold exactly. */
const POSITION = /^(0|[1-9][0-9]{0,15})$/;

/** The position a request asks for, or undefined; a malformed one is a 400 naming where it came from. */
export function minPositionOf(query: unknown, header: unknown): number | undefined {
  const given = [
    { field: MIN_POSITION, value: query },
    { field: LOG_POSITION_HEADER, value: header },
  ].filter(({ value }) => value !== undefined && value !== '');
  const positions = given.map(({ field, value }) => {
    const position = typeof value === 'string' && POSITION.test(value.trim()) ? Number(value.trim()) : NaN;
    if (!Number.isSafeInteger(position))
      throw Problem.field(
        'invalid',
        field,
        'must be a log position (a whole number, 0 or more), as a Log-Position header answered it',
      );
    return position;
  });
  return positions.length ? Math.max(...positions) : undefined;
}

/** Each request's reading, for the route's @LogReading() parameter. */
const readings = new WeakMap<object, Reading>();

/**
 * Before a read route runs: takes `minPosition` (the query parameter, or a Log-Position request
 * header) out of the request, chooses where the request reads (LogReads) and answers the position
 * its answer reflects in the Log-Position header. The parameter is taken out of the query so that
 * routes whose query is a DTO (which refuses fields it does not know) need not each declare it.
 */
@Injectable()
export class LogReadingInterceptor implements NestInterceptor {
  constructor(private readonly reads: LogReads) {}

  async intercept(context: ExecutionContext, next: CallHandler): Promise<Observable<unknown>> {
    const http = context.switchToHttp();
    const request = http.getRequest<FastifyRequest>();
    const query = (request.query ?? {}) as Record<string, unknown>;
    const minPosition = minPositionOf(query[MIN_POSITION], request.headers[LOG_POSITION_HEADER.toLowerCase()]);
    delete query[MIN_POSITION];
    const reading = await this.reads.reading(minPosition);
    readings.set(request, reading);
    http.getResponse<FastifyReply>().header(LOG_POSITION_HEADER, String(reading.position));
    // The reading's snapshot ends with the handler (a live replay's handler returns once it is caught up).
    return next.handle().pipe(finalize(() => reading.end()));
  }
}

const MIN_POSITION_DESCRIPTION =
  'Read the log as it was at least at this position: the Log-Position a write (or an earlier read) answered. ' +
  `With a read replica the request waits up to ${REPLICA_WAIT_MS} ms for it to get there, then reads the primary; ` +
  'so a client reads its own writes, and one that sends back the Log-Position of its last answer never reads an older log.';

/**
 * A read route that may go to the read replica (DATABASE_READ_URL): minPosition, the Log-Position
 * header of the answer, and the @LogReading() parameter saying where to read.
 */
export const ReadsTheLog = () =>
  applyDecorators(
    UseInterceptors(LogReadingInterceptor),
    ApiQuery({
      name: MIN_POSITION,
      required: false,
      schema: { type: 'integer', minimum: 0, maximum: Number.MAX_SAFE_INTEGER },
      description: MIN_POSITION_DESCRIPTION,
    }),
    ApiHeader({
      name: LOG_POSITION_HEADER,
      required: false,
      schema: { type: 'integer', minimum: 0, maximum: Number.MAX_SAFE_INTEGER },
      description: `As ${MIN_POSITION}, for a client that sends back the header it was answered (the higher of both counts)`,
    }),
    ApiResponse({
      status: '2XX',
      description: `The answer reflects the log at least up to the position in the ${LOG_POSITION_HEADER} header`,
      headers: {
        [LOG_POSITION_HEADER]: {
          schema: { type: 'integer' },
          description: `The log position the answer reflects: pass it as ${MIN_POSITION} to never read an older log`,
        },
      },
    }),
  );

/** Where this request reads (a route marked @ReadsTheLog()). */
export const LogReading = createParamDecorator((_: unknown, context: ExecutionContext): Reading => {
  const reading = readings.get(context.switchToHttp().getRequest<object>());
  if (!reading) throw new Error('@LogReading() is read on a route without @ReadsTheLog()');
  return reading;
});
