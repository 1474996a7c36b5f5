import { createServer, type RequestListener } from 'node:http';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import type { Settings } from '../config/settings.js';
import { requestIdOf } from './request-log.js';

/**
 * The Fastify adapter of the server and of the e2e tests alike. A request must arrive whole
 * within REQUEST_TIMEOUT_MS (default 20 s; Node answers 408 and closes the connection): a client
 * trickling a body held its connection, and a slot of the server, for as long as it liked
 * (300 such requests stayed open 150 s, before any token check). Node looks for late requests
 * every `connectionsCheckingInterval` (30 s by default, longer than the timeout itself): here
 * every second, or sooner for a shorter timeout.
 */
export function fastifyAdapter(settings: Settings): FastifyAdapter {
  const requestTimeout = settings.requestTimeoutMs;
  return new FastifyAdapter({
    requestTimeout,
    genReqId: requestIdOf,
    serverFactory: (handler: RequestListener) =>
      createServer({ requestTimeout, connectionsCheckingInterval: Math.min(1000, requestTimeout || 1000) }, handler),
  });
}
