import cors from '@fastify/cors';
import fastifyStatic from '@fastify/static';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { SwaggerModule } from '@nestjs/swagger';
import helmet from 'helmet';
import { SETTINGS } from '../config/settings.provider.js';
import type { Settings } from '../config/settings.js';
import { WEB_DIST } from '../web/web.module.js';
import { LOG_POSITION_HEADER } from './log-position.js';
import { ErrorFilter } from './error.filter.js';
import { InputBoundaryInterceptor } from './input-boundary.interceptor.js';
import { registerRateLimits } from './rate-limits.js';
import { logRequests, REQUEST_LOG, type RequestLog } from './request-log.js';
import { apiDocument } from './openapi-document.js';
import { DeclaredQueries, DeclaredQueryInterceptor } from './declared-query.interceptor.js';
import { createValidationPipe } from './validation.js';

/** The HTTP edge shared by the server and the e2e tests, so tests exercise exactly what runs. */
export async function configureHttp(app: NestFastifyApplication): Promise<void> {
  // Security headers from helmet's middleware, made once. @fastify/helmet made it again for every
  // request (helmet(options) per call: parsing the CSP directives and building each header's
  // middleware): a 404 cost the server 0.196 ms of CPU with it and 0.121 ms with this (measured
  // under 16 clients on this 2-core VM); an append costs about 1.2 ms.
  const securityHeaders = helmet({
    strictTransportSecurity: false,
    contentSecurityPolicy: {
      directives: {
        // The timeline page and Swagger UI load only their own scripts and styles.
        'script-src': ["'self'"],
        'style-src': ["'self'", "'unsafe-inline'"],
        'img-src': ["'self'", 'data:'],
        // Served over plain http on localhost: upgrading would break every asset.
        'upgrade-insecure-requests': null,
      },
    },
  });
  app
    .getHttpAdapter()
    .getInstance()
    .addHook('onRequest', (request, reply, done) =>
      securityHeaders(request.raw, reply.raw, (error?: unknown) => done(error as Error | undefined)),
    );
  logRequests(app.getHttpAdapter().getInstance(), app.get<RequestLog>(REQUEST_LOG));
  const settings = app.get<Settings>(SETTINGS);
  // Off unless CORS_ORIGINS lists origins: then a notebook served from one of them may read the
  // API (and see the export's log position header); writes still need the bearer token.
  if (settings.corsOrigins.length)
    await app.register(cors, {
      origin: [...settings.corsOrigins],
      methods: ['GET', 'HEAD', 'POST', 'PATCH'],
      exposedHeaders: [LOG_POSITION_HEADER],
    });
  await registerRateLimits(app, settings);
  // reply.sendFile for the timeline page (WebController serves its two routes itself).
  await app.register(fastifyStatic, { root: WEB_DIST, serve: false });
  const declared = new DeclaredQueries();
  app.useGlobalInterceptors(new InputBoundaryInterceptor(), new DeclaredQueryInterceptor(declared));
  app.useGlobalPipes(createValidationPipe());
  app.useGlobalFilters(new ErrorFilter());

  const document = await apiDocument(app, settings.seedsDir);
  declared.load(document);
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs-json' });
}
