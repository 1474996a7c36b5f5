import { Controller, Get, Module, Param, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** Where `npm run build:web` puts the page; relative to the working directory, as seeds/ is. */
export const WEB_DIST = resolve('web/dist');

const NOT_BUILT =
  'The Stance web page has not been built. Run `npm run build:web` (or `npm run build`), then reload. ' +
  'The API itself works: see /docs.';

/**
 * The timeline page: `/` and its bundled assets under `/assets/`. Two explicit routes, so it can
 * never shadow an API route; @fastify/static's sendFile (configureHttp) gives content types and
 * path safety, and answers 404 for a file that is not there.
 */
@ApiExcludeController()
@Controller()
export class WebController {
  /** The built page's folder (a test points it elsewhere to see the "not built" answer). */
  root = WEB_DIST;

  @Get()
  index(@Res() reply: FastifyReply) {
    if (!existsSync(join(this.root, 'index.html'))) return reply.status(503).type('text/plain').send(NOT_BUILT);
    return reply.header('Cache-Control', 'no-cache').sendFile('index.html', this.root);
  }

  @Get('assets/:file')
  asset(@Param('file') file: string, @Res() reply: FastifyReply) {
    return reply.header('Cache-Control', 'no-cache').sendFile(file, join(this.root, 'assets'));
  }
}

@Module({ controllers: [WebController] })
export class WebModule {}
