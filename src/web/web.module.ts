import { Controller, Get, Module, NotFoundException, Param, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** Where `npm run build:web` puts the page; relative to the working directory, as seeds/ is. */
export const WEB_DIST = resolve('web/dist');

const NOT_BUILT = 'The Stance web page has not been built. Run `npm run build:web` (or `npm run build`), then reload. ' +
  'The API itself works: see /docs.';

/**
 * The timeline page: `/` and its bundled assets under `/assets/`. Two explicit routes, so it can
 * never shadow an API route; express's sendFile gives content types, ETags and path safety.
 */
@ApiExcludeController()
@Controller()
export class WebController {
  /** The built page's folder (a test points it elsewhere to see the "not built" answer). */
  root = WEB_DIST;

  @Get()
  index(@Res() res: Response): void {
    if (!existsSync(join(this.root, 'index.html'))) {
      res.status(503).type('text/plain').send(NOT_BUILT);
      return;
    }
    res.sendFile('index.html', { root: this.root, headers: { 'Cache-Control': 'no-cache' } });
  }

  @Get('assets/:file')
  asset(@Param('file') file: string, @Res() res: Response): void {
    res.sendFile(file, { root: join(this.root, 'assets'), headers: { 'Cache-Control': 'no-cache' } }, (error) => {
      if (error && !res.headersSent) res.status(404).json(new NotFoundException(`no asset named "${file}"`).getResponse());
    });
  }
}

@Module({ controllers: [WebController] })
export class WebModule {}
