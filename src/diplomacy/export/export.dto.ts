import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Length, Max, Min } from 'class-validator';
import { EVENT_TYPES, type EventType } from '../domain/events/events.js';
import { EVENT_FORMATS, type EventFormat, SEPARATORS, type Separator } from './export-formats.js';

const KNOWN_AT =
  'As publicly known at this instant: only events reported by then, with the corrections and retractions reported by then';

/** What every export may be asked: the snapshot (knownAt, upTo) and how tables are separated. */
class SnapshotDto {
  @ApiPropertyOptional({ description: KNOWN_AT }) @IsOptional() @IsString() readonly knownAt?: string;
  @ApiPropertyOptional({
    description:
      'The last log position to include (default: the log as committed now); answers give theirs in Log-Position',
  })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(Number.MAX_SAFE_INTEGER)
  readonly upTo?: number;
  @ApiPropertyOptional({ enum: SEPARATORS, default: 'comma', description: 'tables as CSV (comma) or TSV (tab)' })
  @IsOptional()
  @IsIn(SEPARATORS)
  readonly separator?: Separator;
}

export class ExportEventsDto extends SnapshotDto {
  @ApiPropertyOptional({
    enum: EVENT_FORMATS,
    default: 'stance',
    description:
      'stance: the log as POST /events bodies (JSON lines, the import format); plover: PLOVER JSON lines; polecat, acled: tables in their columns',
  })
  @IsOptional()
  @IsIn(EVENT_FORMATS)
  readonly format: EventFormat = 'stance';
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

export class ExportPositionsDto extends SnapshotDto {
  @ApiPropertyOptional({ description: 'The day of the positions (default: today)' })
  @IsOptional()
  @IsString()
  readonly at?: string;
}
