import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { EventIdConflictError, WrongExpectedVersionError } from '../event-store/event-store.errors.js';
import { type FieldProblem, Problem, ProblemKind } from '../shared/problem.js';

const STATUS_OF: Record<ProblemKind, number> = {
  invalid: HttpStatus.BAD_REQUEST,
  not_found: HttpStatus.NOT_FOUND,
  conflict: HttpStatus.CONFLICT,
  unprocessable: HttpStatus.UNPROCESSABLE_ENTITY,
};

/** Every error answer's body: what went wrong, and details that depend on the error. */
export interface ProblemAnswer {
  statusCode: number;
  /** The status code's name ("Bad Request"). */
  error: string;
  message: string;
  /** Each bad field and what is wrong with it. */
  errors?: FieldProblem[];
  /** Known slugs close to an unknown one. */
  suggestions?: string[];
  /** The recorded event a late report or a correction would contradict (a 422 on `occurred`, or on the correction's changed field): retract or correct one of the two. */
  conflictsWith?: string;
  [detail: string]: unknown;
}

/** Every error leaves as JSON {statusCode, error, message, ...details}; only real bugs are 500s. */
@Catch()
export class ErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger('Errors');

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const response = http.getResponse<FastifyReply>();
    const request = http.getRequest<FastifyRequest>();
    const body = this.toBody(exception);
    // A refusal the server chose (503: all live-stream places taken) is an answer, not a failure.
    if (body.statusCode >= 500 && !(exception instanceof HttpException && body.statusCode !== 500)) {
      // Which route failed, for which request: the line an operator searches for, by the id the client was given.
      const route = request.routeOptions?.url ?? request.url;
      this.logger.error(
        `${request.method} ${route} failed (request ${request.id}): ${exception instanceof Error ? exception.message : String(exception)}`,
        exception instanceof Error ? exception.stack : undefined,
      );
      body.message = `${body.message} (request ${request.id})`;
    }
    if (response.sent) return;
    if (body.statusCode === 401) response.header('WWW-Authenticate', 'Bearer');
    response.status(body.statusCode).send(body);
  }

  private toBody(exception: unknown): ProblemAnswer {
    if (exception instanceof Problem) {
      const statusCode = STATUS_OF[exception.kind];
      return { statusCode, error: statusText(statusCode), message: exception.message, ...exception.details };
    }
    if (exception instanceof WrongExpectedVersionError) {
      return {
        statusCode: 409,
        error: 'Conflict',
        message: exception.message,
        stream: exception.stream,
        expectedVersion: exception.expectedVersion,
        currentVersion: exception.currentVersion,
      };
    }
    if (exception instanceof EventIdConflictError) {
      return { statusCode: 409, error: 'Conflict', message: exception.message, eventId: exception.eventId };
    }
    // Fastify's own refusals reach here as HttpExceptions (the adapter's mapException) with the
    // FastifyError, and its code, as their cause.
    const refusal = FASTIFY_FIELDS[String((exception as { cause?: { code?: unknown } })?.cause?.code)];
    if (refusal && exception instanceof HttpException) {
      const statusCode = exception.getStatus();
      return {
        statusCode,
        error: statusText(statusCode),
        message: `${refusal.field} ${refusal.problem}`,
        errors: [refusal],
      };
    }
    if (exception instanceof HttpException) {
      const statusCode = exception.getStatus();
      const payload = exception.getResponse();
      if (typeof payload === 'object' && payload !== null) {
        const { message, error, statusCode: _ignored, ...rest } = payload as Record<string, unknown>;
        return {
          statusCode,
          error: typeof error === 'string' ? error : statusText(statusCode),
          message: Array.isArray(message)
            ? message.join('; ')
            : typeof message === 'string'
              ? message
              : exception.message,
          ...rest,
        };
      }
      return { statusCode, error: statusText(statusCode), message: String(payload) };
    }
    // Fastify marks client errors with a 4xx status code and says what is wrong (malformed JSON, body too large, unknown media type).
    const status = (exception as { statusCode?: unknown })?.statusCode;
    if (typeof status === 'number' && status >= 400 && status < 500) {
      return { statusCode: status, error: statusText(status), message: (exception as Error).message };
    }
    return {
      statusCode: 500,
      error: 'Internal Server Error',
      message: 'an unexpected error occurred; it has been logged',
    };
  }
}

/**
 * What Fastify refuses before a route sees the request, named as every other refusal is: the
 * part of the request and what is wrong with it (its own messages name neither, and a body with
 * a "__proto__" key read "Body is not valid JSON").
 */
const FASTIFY_FIELDS: Readonly<Record<string, { field: string; problem: string }>> = {
  FST_ERR_CTP_INVALID_JSON_BODY: {
    field: 'body',
    problem: 'is not valid JSON, or holds a "__proto__" or "constructor.prototype" key, which no body may',
  },
  FST_ERR_CTP_EMPTY_JSON_BODY: { field: 'body', problem: 'is empty, but Content-Type says JSON' },
  FST_ERR_CTP_BODY_TOO_LARGE: { field: 'body', problem: 'is larger than the 1 MiB a request may send' },
  FST_ERR_CTP_INVALID_MEDIA_TYPE: { field: 'Content-Type', problem: 'names a media type this route does not read' },
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: { field: 'Content-Length', problem: 'does not match the body sent' },
};

function statusText(status: number): string {
  const name = HttpStatus[status] as string | undefined;
  if (!name) return 'Error';
  return name
    .split('_')
    .map((w) => w.charAt(0) + w.slice(1).toLowerCase())
    .join(' ');
}
