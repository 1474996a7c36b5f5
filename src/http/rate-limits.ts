import rateLimit from '@fastify/rate-limit';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyRequest } from 'fastify';
import type { Settings } from '../config/settings.js';

/** The two budgets a client spends: writes (anything but GET/HEAD/OPTIONS) and reads of the API. */
type Budget = 'writes' | 'reads';

const READ_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

function budgetOf(request: FastifyRequest): Budget {
  return READ_METHODS.has(request.method) ? 'reads' : 'writes';
}

/** Routes that cost nothing worth limiting: the health probe (polled by orchestrators), the page and its files, the API docs. */
function free(request: FastifyRequest): boolean {
  const route = request.routeOptions.url;
  return route === '/health' || route === '/' || route === '/assets/:file' || route?.startsWith('/docs') === true;
}

/**
 * Per client (its IP address), per minute: one budget for writes and one for reads, each off at 0;
 * a spent budget is answered 429 with Retry-After (whole seconds) and a message naming it.
 *
 * @fastify/rate-limit rather than @nestjs/throttler: the latter is CommonJS and requires the
 * ES-module-only NestJS 12, which Node 20 loads but Jest's module loader cannot, so it could not
 * run in the suite; and Fastify's limiter answers in the onRequest hook, before the body is read
 * or the token compared, so a flood costs the server least. In memory, per process: behind one
 * address, several processes each count their own share.
 */
export async function registerRateLimits(app: NestFastifyApplication, settings: Settings): Promise<void> {
  const max: Record<Budget, number> = {
    writes: settings.rateLimitWritesPerMinute,
    reads: settings.rateLimitReadsPerMinute,
  };
  await app.register(rateLimit, {
    timeWindow: 60_000,
    keyGenerator: (request) => `${budgetOf(request)}:${request.ip}`,
    max: (request) => max[budgetOf(request)],
    allowList: (request) => max[budgetOf(request)] === 0 || free(request),
    // Only once refused: counting headers on every answer would tell nothing a client acts on.
    addHeadersOnExceeding: { 'x-ratelimit-limit': false, 'x-ratelimit-remaining': false, 'x-ratelimit-reset': false },
    errorResponseBuilder: (request, context) => ({
      statusCode: 429,
      error: 'Too Many Requests',
      message: `too many ${budgetOf(request)} from this client: at most ${context.max} a minute; retry after ${Math.ceil(context.ttl / 1000)} s`,
      retryAfter: Math.ceil(context.ttl / 1000),
    }),
  });
}
