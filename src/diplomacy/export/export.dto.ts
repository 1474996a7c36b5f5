import { ApiPropertyOptional, IntersectionType, OmitType, PickType } from '@nestjs/swagger';
import { EventFiltersDto } from '../events/list-events.dto.js';
import { IsIn, IsInt, IsOptional, IsString, Max, Min } from 'class-validator';
import { HISTORY_SCOPES, type HistoryScope } from '../positions/position.view.js';
import { EVENT_FORMATS, type EventFormat, SEPARATORS, type Separator } from './export-formats.js';
import { QueryInteger } from '../../http/query-integer.js';

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
  @QueryInteger()
  @IsInt()
  @Min(0)
  @Max(Number.MAX_SAFE_INTEGER)
  readonly upTo?: number;
  @ApiPropertyOptional({ enum: SEPARATORS, default: 'comma', description: 'tables as CSV (comma) or TSV (tab)' })
  @IsOptional()
  @IsIn(SEPARATORS)
  readonly separator?: Separator;
}

export class ExportEventsDto extends IntersectionType(SnapshotDto, EventFiltersDto) {
  @ApiPropertyOptional({
    enum: EVENT_FORMATS,
    default: 'stance',
    description:
      'stance: the log as POST /events bodies (JSON lines, the import format); plover: PLOVER JSON lines; polecat, acled: tables in their columns',
  })
  @IsOptional()
  @IsIn(EVENT_FORMATS)
  readonly format: EventFormat = 'stance';
}

export class ExportPositionsDto extends SnapshotDto {
  @ApiPropertyOptional({ description: 'The day of the positions (default: today)' })
  @IsOptional()
  @IsString()
  readonly at?: string;
  @ApiPropertyOptional({
    enum: HISTORY_SCOPES,
    default: 'window',
    description: 'replaced stances listed: "window" those of the 12 months before `at`, "all" every one',
  })
  @IsOptional()
  @IsIn(HISTORY_SCOPES)
  readonly history?: HistoryScope;
}

/** The coding table depends on no snapshot: it takes only how the table is separated. */
export class ExportCodingDto extends PickType(SnapshotDto, ['separator'] as const) {}

/** The data package: its tables are CSV (a Frictionless CSV resource), so it takes no separator. */
export class DataPackageDto extends OmitType(ExportPositionsDto, ['separator'] as const) {}
