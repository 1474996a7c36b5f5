import { applyDecorators } from '@nestjs/common';
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
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import { SLUG } from '../shared/slugs.js';
import { PARTY_KINDS, type PartyKind } from './catalog.entities.js';

const SLUG_MESSAGE = 'must be a lowercase slug like "united-states"';

// The rules of a field, each said once: a creation and a later edit check the same field alike.

/**
 * One line of words with no space at either end: said inside a sentence (a summary, a title), where
 * " Poland " and "Line\nname" read as broken text.
 */
const ONE_LINE = /^\S(?:[^\r\n\t]*\S)?$/;
const ONE_LINE_PROBLEM = 'must be one line of words with no space at either end';

/** A name or a title: a bounded line of words. */
const Named = (max: number) =>
  applyDecorators(IsString(), Length(1, max), Matches(ONE_LINE, { message: ONE_LINE_PROBLEM }));

/** Other names a party goes by: bounded and never blank, as a speaker's (an alias of 100,000 characters, or "", was taken). */
const Aliases = () =>
  applyDecorators(
    IsArray(),
    ArrayMaxSize(20),
    IsString({ each: true }),
    Length(1, 200, { each: true }),
    Matches(ONE_LINE, { each: true, message: `each alias ${ONE_LINE_PROBLEM}` }),
  );

/** A topic's title as a sentence says it: one line, no space at either end (" leading space" and "line\nbreak" were taken). */
const Phrase = () => applyDecorators(IsString(), Length(1, 300), Matches(ONE_LINE, { message: ONE_LINE_PROBLEM }));

/**
 * An edit's field that may be left out but not given as null: IsOptional passes null unchecked,
 * and a PATCH of `{"title": null}` reached the database's NOT NULL as a 500.
 */
const LeftOutOrGiven = () => ValidateIf((_, value) => value !== undefined);

const PLURAL_DESCRIPTION =
  'Whether the name is plural ("European G8 countries"): summaries then say "their", not "its"';
const PHRASE_DESCRIPTION =
  'The title as a sentence says it ("had no standing position on missile defense in Europe"); without it a leading "The", "A" or "An" is lower-cased and the rest kept as written';

export class CreatePartyDto {
  @ApiProperty({ example: 'russia' }) @Matches(SLUG, { message: SLUG_MESSAGE }) @Length(2, 80) readonly slug: string;
  @ApiProperty({ example: 'Russia' }) @Named(200) readonly name: string;
  @ApiProperty({ enum: PARTY_KINDS }) @IsIn(PARTY_KINDS) readonly kind: PartyKind;
  @ApiPropertyOptional({ example: ['Russian Federation'] }) @IsOptional() @Aliases() readonly aliases?: string[];
  @ApiPropertyOptional({
    example: 'united-states',
    type: String,
    nullable: true,
    description: 'The party it belongs to (a legislature within its state); it must exist already (null: none)',
  })
  @IsOptional()
  @Matches(SLUG, { message: SLUG_MESSAGE })
  readonly parent?: string | null;
  @ApiPropertyOptional({ example: false, description: PLURAL_DESCRIPTION })
  @IsOptional()
  @IsBoolean()
  readonly plural?: boolean;
}

/**
 * What may change in a party: how it is named. Its slug, kind and parent stay (events and speakers
 * name it by its slug). Every field may be left out; at least one must be given.
 */
export class UpdatePartyDto {
  @ApiPropertyOptional({ example: 'Russian Federation' }) @LeftOutOrGiven() @Named(200) readonly name?: string;
  @ApiPropertyOptional({ example: ['Russia', 'Moscow'], description: 'replaces the aliases it had' })
  @LeftOutOrGiven()
  @Aliases()
  readonly aliases?: string[];
  @ApiPropertyOptional({ example: true, description: PLURAL_DESCRIPTION })
  @LeftOutOrGiven()
  @IsBoolean()
  readonly plural?: boolean;
}

export class SpeakerRoleDto {
  @ApiProperty({ example: 'Prime Minister of Russia' })
  @Named(200)
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
  @Named(200)
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
  @Aliases()
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
  @Named(300)
  readonly title: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @Length(0, 2000) readonly description?: string;
}

export class CreateTopicDto {
  @ApiProperty({ example: 'missile-defense-europe' })
  @Matches(SLUG, { message: SLUG_MESSAGE })
  @Length(2, 80)
  readonly slug: string;
  @ApiProperty({ example: 'Missile defense in Europe' }) @Named(300) readonly title: string;
  @ApiPropertyOptional({ example: 'missile defense in Europe', description: PHRASE_DESCRIPTION })
  @IsOptional()
  @Phrase()
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

/**
 * What may change in a topic: how it is named and described (its slug names its stream of the
 * log, and its items are added, never edited). Answers at every date read names from the catalog
 * as it is now. Every field may be left out; at least one must be given.
 */
export class UpdateTopicDto {
  @ApiPropertyOptional({ example: 'Missile defense in Europe' }) @LeftOutOrGiven() @Named(300) readonly title?: string;
  @ApiPropertyOptional({
    type: String,
    nullable: true,
    example: 'missile defense in Europe',
    description: `${PHRASE_DESCRIPTION}. null removes it`,
  })
  // null is a value here (remove the phrase), not a field left out.
  @ValidateIf((_, value) => value !== undefined && value !== null)
  @Phrase()
  readonly phrase?: string | null;
  @ApiPropertyOptional() @LeftOutOrGiven() @IsString() @Length(0, 4000) readonly description?: string;
}
