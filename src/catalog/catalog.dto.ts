import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsIn,
  IsObject,
  IsOptional,
  IsString,
  Length,
  Matches,
  ValidateNested,
} from 'class-validator';
import { SLUG } from '../shared/slugs.js';
import { BLANK_PROBLEM, NOT_BLANK } from '../shared/text.js';
import { PARTY_KINDS, type PartyKind } from './catalog.entities.js';

const SLUG_MESSAGE = 'must be a lowercase slug like "united-states"';

export class CreatePartyDto {
  @ApiProperty({ example: 'russia' }) @Matches(SLUG, { message: SLUG_MESSAGE }) @Length(2, 80) readonly slug: string;
  @ApiProperty({ example: 'Russia' })
  @IsString()
  @Length(1, 200)
  @Matches(NOT_BLANK, { message: BLANK_PROBLEM })
  readonly name: string;
  @ApiProperty({ enum: PARTY_KINDS }) @IsIn(PARTY_KINDS) readonly kind: PartyKind;
  @ApiPropertyOptional({ example: ['Russian Federation'] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @IsString({ each: true })
  // Bounded and never blank, as a speaker's: an alias of 100,000 characters, or "", was taken.
  @Length(1, 200, { each: true })
  @Matches(NOT_BLANK, { each: true, message: `each alias ${BLANK_PROBLEM}` })
  readonly aliases?: string[];
  @ApiPropertyOptional({
    example: 'united-states',
    description: 'The party it belongs to (a legislature within its state); it must exist already',
  })
  @IsOptional()
  @Matches(SLUG, { message: SLUG_MESSAGE })
  readonly parent?: string;
  @ApiPropertyOptional({
    example: false,
    description: 'Whether the name is plural ("European G8 countries"): summaries then say "their", not "its"',
  })
  @IsOptional()
  @IsBoolean()
  readonly plural?: boolean;
}

export class SpeakerRoleDto {
  @ApiProperty({ example: 'Prime Minister of Russia' })
  @IsString()
  @Length(1, 200)
  @Matches(NOT_BLANK, { message: BLANK_PROBLEM })
  readonly role: string;
  // Days are checked with the other rules of roles (roleProblems: a day, from <= to, no overlap).
  @ApiPropertyOptional({ example: '2008-05-08', description: 'first day held, YYYY-MM-DD (left out: open)' })
  @IsOptional()
  @IsString()
  readonly from?: string;
  @ApiPropertyOptional({
    example: '2012-05-07',
    description: 'last day held, YYYY-MM-DD (left out: open, or still held)',
  })
  @IsOptional()
  @IsString()
  readonly to?: string;
}

export class CreateSpeakerDto {
  @ApiProperty({ example: 'Sergei Lavrov' })
  @IsString()
  @Length(1, 200)
  @Matches(NOT_BLANK, { message: BLANK_PROBLEM })
  readonly name: string;
  // Bounded as every slug is: a 100,000-character one made the "did you mean" search take seconds.
  @ApiProperty({ example: 'russia', description: 'the party the speaker speaks for' })
  @Matches(SLUG, { message: SLUG_MESSAGE })
  @Length(2, 80)
  readonly party: string;
  @ApiPropertyOptional({
    example: ['Lavrov', 'Sergey Lavrov'],
    description: "other names an event's speaker may give (matched in any case)",
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @IsString({ each: true })
  @Length(1, 200, { each: true })
  @Matches(NOT_BLANK, { each: true, message: `each alias ${BLANK_PROBLEM}` })
  readonly aliases?: string[];
  @ApiPropertyOptional({
    type: [SpeakerRoleDto],
    description:
      'the roles held, each with its days (both inclusive; a bound left out is open); one role a day. ' +
      "Positions show an event's speaker with the role held on the event's day when the event gives none",
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @IsObject({ each: true, message: 'each role must be an object' })
  @ValidateNested({ each: true })
  @Type(() => SpeakerRoleDto)
  readonly roles?: SpeakerRoleDto[];
}

export class CreateItemDto {
  @ApiProperty({ example: 'us-third-site' })
  @Matches(SLUG, { message: SLUG_MESSAGE })
  @Length(2, 80)
  readonly slug: string;
  @ApiProperty({ example: 'US third site: 10 interceptors in Poland, radar in the Czech Republic' })
  @IsString()
  @Length(1, 300)
  @Matches(NOT_BLANK, { message: BLANK_PROBLEM })
  readonly title: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @Length(0, 2000) readonly description?: string;
}

export class CreateTopicDto {
  @ApiProperty({ example: 'missile-defense-europe' })
  @Matches(SLUG, { message: SLUG_MESSAGE })
  @Length(2, 80)
  readonly slug: string;
  @ApiProperty({ example: 'Missile defense in Europe' })
  @IsString()
  @Length(1, 300)
  @Matches(NOT_BLANK, { message: BLANK_PROBLEM })
  readonly title: string;
  @ApiPropertyOptional({
    example: 'missile defense in Europe',
    description:
      'The title as a sentence says it ("had no standing position on missile defense in Europe"); without it a leading "The", "A" or "An" is lower-cased and the rest kept as written',
  })
  @IsOptional()
  @IsString()
  @Length(1, 300)
  // Said inside a sentence: one line, no space at either end (" leading space" and "line\nbreak" were taken).
  @Matches(/^\S(?:[^\r\n]*\S)?$/, { message: 'must be one line of words with no space at either end' })
  readonly phrase?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @Length(0, 4000) readonly description?: string;
  @ApiPropertyOptional({ type: [CreateItemDto] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(200)
  // An entry that is no object (a list, say) passed ValidateNested unchecked, and two items of one
  // slug broke the items' primary key: both were 500s.
  @IsObject({ each: true, message: 'each item must be an object' })
  @ArrayUnique((item: CreateItemDto) => item?.slug, { message: 'must not list two items with the same slug' })
  @ValidateNested({ each: true })
  @Type(() => CreateItemDto)
  readonly items?: CreateItemDto[];
}
