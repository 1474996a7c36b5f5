import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize, IsArray, IsIn, IsInt, IsObject, IsOptional, IsString, IsUrl, IsUUID, Length, Matches, Min, ValidateNested,
} from 'class-validator';
import { EVENT_TYPES, type EventType } from '../domain/events.js';

const SLUG = /^[a-z0-9]+(-[a-z0-9]+)*$/;
const SLUG_MESSAGE = 'must be a lowercase slug like "united-states"';

export class SpeakerDto {
  @ApiProperty({ example: 'Sergei Lavrov' }) @IsString() @Length(1, 200) readonly name: string;
  @ApiPropertyOptional({ example: 'Foreign Minister of Russia' }) @IsOptional() @IsString() @Length(0, 200) readonly role?: string;
}

export class SourceDto {
  @ApiProperty({ example: 'The Washington Post' }) @IsString() @Length(1, 200) readonly publisher: string;
  @ApiProperty({ example: 'Putin Offers to Join Missile Shield Effort' }) @IsString() @Length(1, 500) readonly title: string;
  @ApiPropertyOptional({ example: 'Michael A. Fletcher' }) @IsOptional() @IsString() @Length(1, 200) readonly author?: string;
  @ApiPropertyOptional() @IsOptional() @IsUrl({ require_protocol: true }) readonly url?: string;
  @ApiProperty({ example: '2007-06-08', description: 'ISO 8601 date or timestamp' }) @IsString() readonly publishedAt: string;
}

/** A reported claim, as a client sends it. The domain checks dates, slugs and the payload of its type. */
export class RecordEventDto {
  @ApiPropertyOptional({ description: 'Client-chosen UUID: retrying with the same id and payload is safe' })
  @IsOptional() @IsUUID() readonly id?: string;

  @ApiProperty({ example: 'missile-defense-europe' }) @Matches(SLUG, { message: SLUG_MESSAGE }) readonly topic: string;

  @ApiProperty({ enum: EVENT_TYPES }) @IsIn(EVENT_TYPES) readonly type: EventType;

  @ApiProperty({ example: 'russia' }) @Matches(SLUG, { message: SLUG_MESSAGE }) readonly actor: string;

  @ApiPropertyOptional({ example: ['united-states'] })
  @IsOptional() @IsArray() @ArrayMaxSize(50) @Matches(SLUG, { each: true, message: 'each target ' + SLUG_MESSAGE })
  readonly targets?: string[];

  @ApiPropertyOptional({ type: SpeakerDto }) @IsOptional() @ValidateNested() @Type(() => SpeakerDto) readonly speaker?: SpeakerDto;

  @ApiProperty({ example: '2007-10-12/2007-10-13', description: 'A day, a month (YYYY-MM), a year, or an interval from/to' })
  @IsString() @Length(4, 45) readonly occurred: string;

  @ApiPropertyOptional({ example: '2007-10-31', description: 'When the source made it public; defaults to source.publishedAt' })
  @IsOptional() @IsString() readonly reportedAt?: string;

  @ApiProperty({ type: SourceDto }) @ValidateNested() @Type(() => SourceDto) readonly source: SourceDto;

  @ApiPropertyOptional({ description: 'Short verbatim quote' }) @IsOptional() @IsString() @Length(1, 2000) readonly quote?: string;

  @ApiProperty({ description: 'One neutral sentence' }) @IsString() @Length(1, 1000) readonly summary: string;

  @ApiPropertyOptional({ description: 'The event this one answers' }) @IsOptional() @IsUUID() readonly refersTo?: string;

  @ApiPropertyOptional({ example: '1056', description: 'A CAMEO code within the type family' })
  @IsOptional() @Matches(/^\d{2,4}$/, { message: 'must be a CAMEO code of 2 to 4 digits, as a string' }) readonly cameo?: string;

  @ApiProperty({ description: 'Type-specific fields, e.g. {"item": "us-third-site", "action": "...", "condition": "..."}' })
  @IsObject() readonly payload: Record<string, unknown>;

  @ApiPropertyOptional({ description: 'The topic version you expect (optimistic concurrency); 409 if it moved' })
  @IsOptional() @IsInt() @Min(0) readonly expectedVersion?: number;
}

