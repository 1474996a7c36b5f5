import { LOG_POSITION_HEADER } from '../../http/log-position.js';
import { Controller, Get, Query, Req, Res } from '@nestjs/common';
import { ApiOperation, ApiProduces, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Readable } from 'node:stream';
import { CatalogService } from '../../catalog/catalog.service.js';
import { ApiAnswer } from '../../http/api-answer.decorator.js';
import { dayParam, dayRange, instantParam, today } from '../../http/date-params.js';
import { dataPackage, type DataPackage } from './data-package.js';
import { EventExport } from './event-export.service.js';
import { type EventFormat, extensionOf, fileOf, JSON_LINES_TYPE, mediaTypeOf } from './export-formats.js';
import { DataPackageDto, ExportCodingDto, ExportEventsDto, ExportPositionsDto } from './export.dto.js';

const TEXT = { schema: { type: 'string' } };

@ApiTags('export')
@Controller('export')
export class ExportController {
  constructor(
    private readonly exports: EventExport,
    private readonly catalog: CatalogService,
  ) {}

  @Get('events')
  @ApiOperation({
    summary:
      'Events as a file, streamed: the log (the import format), PLOVER JSON lines, or POLECAT- or ACLED-style tables',
    description:
      'Filtered like GET /events; reproducible: as known at `knownAt`, up to the log position in Log-Position (pass it as `upTo`).',
  })
  @ApiProduces(JSON_LINES_TYPE, 'text/csv', 'text/tab-separated-values')
  @ApiResponse({
    status: 200,
    description: 'The file',
    content: { [JSON_LINES_TYPE]: TEXT, 'text/csv': TEXT, 'text/tab-separated-values': TEXT },
  })
  @ApiResponse({ status: 404, description: 'No topic or party by that name: `suggestions` holds close known names' })
  async events(@Query() query: ExportEventsDto, @Res() reply: FastifyReply): Promise<void> {
    if (query.topic) await this.catalog.topic(query.topic);
    if (query.party) await this.catalog.party(query.party);
    const separator = query.separator ?? 'comma';
    const { text, logPosition } = await this.exports.events(
      query.format,
      {
        ...query,
        ...dayRange(query.from, query.to), // the days parsed (a raw from or to is replaced whenever given)
        knownAt: instantParam('knownAt', query.knownAt),
      },
      { separator },
    );
    send(reply, text, logPosition, fileOf(query.format, separator));
  }

  @Get('positions')
  @ApiOperation({
    summary:
      "Every party's stance on every item at a date, as known at an instant: one row per item (CSV or TSV), streamed",
  })
  @ApiProduces('text/csv', 'text/tab-separated-values')
  @ApiResponse({
    status: 200,
    description: 'The table',
    content: { 'text/csv': TEXT, 'text/tab-separated-values': TEXT },
  })
  async positions(@Query() query: ExportPositionsDto, @Res() reply: FastifyReply): Promise<void> {
    const separator = query.separator ?? 'comma';
    const at = dayParam('at', query.at, today());
    const knownAt = instantParam('knownAt', query.knownAt);
    const upTo = await this.exports.logPosition(query.upTo);
    const text = await this.exports.positionTable({ at, knownAt, upTo, history: query.history }, separator);
    send(reply, text, upTo, `positions.${extensionOf(separator)}`);
  }

  @Get('coding')
  @ApiOperation({
    summary:
      'The coding table the exports use: per event type, each CAMEO code it may take, with its name, Goldstein score, quad class and PLOVER category',
  })
  @ApiProduces('text/csv', 'text/tab-separated-values')
  @ApiResponse({
    status: 200,
    description: 'The table',
    content: { 'text/csv': TEXT, 'text/tab-separated-values': TEXT },
  })
  coding(@Query() query: ExportCodingDto, @Res() reply: FastifyReply): void {
    const separator = query.separator ?? 'comma';
    void reply
      .header('content-type', `${mediaTypeOf(separator)}; charset=utf-8`)
      .header('content-disposition', `attachment; filename="coding.${extensionOf(separator)}"`)
      .send(this.exports.codingTable(separator));
  }

  @Get('datapackage.json')
  @ApiOperation({
    summary:
      'A Frictionless data package around a snapshot: its resources (the export routes, fixed to the snapshot) and table schemas',
    description:
      'Records the known-at instant, the log position and the versions of the CAMEO, PLOVER and Goldstein tables.',
  })
  @ApiAnswer('DataPackage')
  async dataPackage(@Query() query: DataPackageDto, @Req() request: FastifyRequest): Promise<DataPackage> {
    const knownAt = instantParam('knownAt', query.knownAt) ?? null;
    const at = dayParam('at', query.at, today());
    const logPosition = await this.exports.logPosition(query.upTo);
    const snapshot = `${knownAt ? `knownAt=${encodeURIComponent(knownAt)}&` : ''}upTo=${logPosition}`;
    // Absolute URLs: a package's resource path is a URL or a file name, never a relative URL with a query.
    const base = `${request.protocol}://${request.host}/export/`;
    const events = (format: EventFormat) => `${base}events?format=${format}&${snapshot}`;
    return dataPackage(
      { knownAt, logPosition, at, createdAt: new Date().toISOString() },
      {
        log: events('stance'),
        plover: events('plover'),
        polecat: events('polecat'),
        acled: events('acled'),
        positions: `${base}positions?at=${at}${query.history ? `&history=${query.history}` : ''}&${snapshot}`,
        coding: `${base}coding`,
      },
    );
  }
}

function send(reply: FastifyReply, text: Readable, logPosition: number, file: string): void {
  const type = file.endsWith('.jsonl') ? JSON_LINES_TYPE : mediaTypeOf(file.endsWith('.tsv') ? 'tab' : 'comma');
  void reply
    .header('content-type', `${type}; charset=utf-8`)
    .header('content-disposition', `attachment; filename="${file}"`)
    .header(LOG_POSITION_HEADER, String(logPosition))
    .send(text);
}
