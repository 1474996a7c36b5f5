import { Body, Controller, Headers, HttpCode, Post, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { randomUUID } from 'node:crypto';
import { RecordEventCommand } from './record-event.command.js';
import { RecordEventDto, toRecordEvent } from './record-event.dto.js';

@ApiTags('events')
@Controller('events')
export class RecordEventController {
  constructor(private readonly commands: CommandBus) {}

  @Post()
  @HttpCode(201)
  @ApiBearerAuth()
  @ApiOperation({ summary: 'Record a reported claim as an immutable event' })
  @ApiResponse({ status: 201, description: 'Recorded; the answer holds the stored event and the new positions of the parties it touches' })
  @ApiResponse({ status: 200, description: 'This id was already recorded with the same request; nothing was written' })
  @ApiResponse({ status: 409, description: 'expectedVersion is stale, or the id is taken by another request' })
  @ApiResponse({ status: 422, description: 'Unknown slug, or a rule of the domain is broken' })
  async record(@Body() dto: RecordEventDto, @Headers('x-correlation-id') correlationId: string | undefined, @Res({ passthrough: true }) res: Response) {
    const result = await this.commands.execute(new RecordEventCommand(toRecordEvent(dto, dto.id ?? randomUUID()), dto.expectedVersion, correlationId));
    if (result.duplicate) res.status(200);
    return result;
  }
}
