import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FastifyInstance } from 'fastify';
import type { DestinationStream, LevelWithSilent } from 'pino';
import { pinoHttp, type HttpLogger } from 'pino-http';
import type { Settings } from '../config/settings.js';

/** The injection token of the application's one request logger (its `.logger` is the root pino logger). */
export const REQUEST_LOG = Symbol('REQUEST_LOG');

const PASSED_ID = /^[A-Za-z0-9._:-]{1,64}$/;

/**
 * The request id: the client's own X-Request-Id when it is short and plain (so a caller can
 * follow its request through our logs), otherwise a fresh UUID. Anything else a client sends
 * there is not echoed into the logs.
 */
export function requestIdOf(req: IncomingMessage): string {
  const given = req.headers['x-request-id'];
  return typeof given === 'string' && PASSED_ID.test(given) ? given : randomUUID();
}

/** What the route hook leaves on the raw request for the log line: the route's pattern, not its values. */
interface RoutedRequest extends IncomingMessage {
  route?: string;
}

/**
 * One line per request (method, route, url, status, time, request id), at error for a 5xx,
 * through pino-http. Headers are never serialized; should a later serializer add them, the
 * credentials are redacted. The health probe is left out (orchestrators poll it every second).
 */
export type RequestLog = HttpLogger<RoutedRequest, ServerResponse, never>;

export function createRequestLog(settings: Settings, destination?: DestinationStream): RequestLog {
  return pinoHttp<RoutedRequest, ServerResponse, never>(
    {
      level: settings.logLevel,
      redact: {
        paths: ['req.headers.authorization', 'req.headers.cookie', 'req.headers["x-api-key"]'],
        censor: '[redacted]',
      },
      serializers: {
        req: (req: IncomingMessage & { id?: string }) => ({ id: req.id, method: req.method, url: req.url }),
        res: (res: ServerResponse) => ({ statusCode: res.statusCode }),
      },
      customProps: (req: RoutedRequest) => (req.route ? { route: req.route } : {}),
      customLogLevel: (_req, res, error): LevelWithSilent => (error || res.statusCode >= 500 ? 'error' : 'info'),
      autoLogging: { ignore: (req: RoutedRequest) => req.route === '/health' },
    },
    destination,
  );
}

/**
 * Logs every request Fastify receives, from its first hook: requests the rate limit refuses,
 * unknown routes and 408s included. Added before the other hooks (the rate limit) so it sees them all.
 */
export function logRequests(fastify: FastifyInstance, requestLog: RequestLog): void {
  fastify.addHook('onRequest', (request, reply, done) => {
    const raw = request.raw as RoutedRequest & { id?: string };
    raw.route = request.routeOptions.url;
    raw.id = request.id; // pino-http takes the id Fastify made (requestIdOf)
    void reply.header('x-request-id', request.id);
    requestLog(raw, reply.raw);
    done();
  });
}
