import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, IsOptional, Max, Min } from 'class-validator';
import { QueryInteger } from '../http/query-integer.js';

export class LogQuery {
  @ApiPropertyOptional({ description: 'Return events after this global position (the cursor)', default: 0 })
  @IsOptional()
  @QueryInteger()
  @IsInt()
  @Min(0)
  @Max(Number.MAX_SAFE_INTEGER) // 1e21 is an integer to JavaScript and out of range to PostgreSQL's bigint
  readonly after: number = 0;

  @ApiPropertyOptional({ description: 'How many events at most', default: 100, maximum: 1000 })
  @IsOptional()
  @QueryInteger()
  @IsInt()
  @Min(1)
  @Max(1000)
  readonly limit: number = 100;
}
