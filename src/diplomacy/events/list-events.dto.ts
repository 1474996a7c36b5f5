import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsInt, IsOptional, IsString, Length, Max, Min } from 'class-validator';
import { EVENT_TYPES, type EventType } from '../domain/events/events.js';
import { QueryInteger } from '../../http/query-integer.js';

/** Which events: the filters GET /events and the exports of events share. */
export class EventFiltersDto {
  @ApiPropertyOptional() @IsOptional() @IsString() @Length(1, 80) readonly topic?: string;
  @ApiPropertyOptional({ description: 'Events by or aimed at this party' })
  @IsOptional()
  @IsString()
  @Length(1, 80)
  readonly party?: string;
  @ApiPropertyOptional({ enum: EVENT_TYPES }) @IsOptional() @IsIn(EVENT_TYPES) readonly type?: EventType;
  @ApiPropertyOptional({ description: 'Occurred on or after this date' })
  @IsOptional()
  @IsString()
  readonly from?: string;
  @ApiPropertyOptional({ description: 'Occurred on or before this date' })
  @IsOptional()
  @IsString()
  readonly to?: string;
}

export class ListEventsDto extends EventFiltersDto {
  @ApiPropertyOptional({ description: 'Text to find in the summary or quote' })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  readonly q?: string;
  @ApiPropertyOptional({
    description:
      'As publicly known at this instant: only events reported by then, with the corrections and retractions reported by then',
  })
  @IsOptional()
  @IsString()
  readonly knownAt?: string;
  @ApiPropertyOptional({ description: 'Cursor: the `next` of the previous page' })
  @IsOptional()
  @QueryInteger()
  @IsInt()
  @Min(0)
  @Max(Number.MAX_SAFE_INTEGER) // 1e21 is an integer to JavaScript and out of range to PostgreSQL's bigint
  readonly after: number = 0;
  @ApiPropertyOptional({ default: 50, maximum: 500 })
  @IsOptional()
  @QueryInteger()
  @IsInt()
  @Min(1)
  @Max(500)
  readonly limit: number = 50;
}
