import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayUnique,
  IsArray,
  IsIn,
  IsObject,
  IsOptional,
  IsString,
  Length,
  Matches,
  ValidateNested,
} from 'class-validator';
import { SLUG } from '../shared/slugs.js';
import { PARTY_KINDS, type PartyKind } from './catalog.entities.js';

const SLUG_MESSAGE = 'must be a lowercase slug like "united-states"';

export class CreatePartyDto {
  @ApiProperty({ example: 'russia' }) @Matches(SLUG, { message: SLUG_MESSAGE }) @Length(2, 80) readonly slug: string;
  @ApiProperty({ example: 'Russia' }) @IsString() @Length(1, 200) readonly name: string;
  @ApiProperty({ enum: PARTY_KINDS }) @IsIn(PARTY_KINDS) readonly kind: PartyKind;
  @ApiPropertyOptional({ example: ['Russian Federation'] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @IsString({ each: true })
  readonly aliases?: string[];
  @ApiPropertyOptional({
    example: 'united-states',
    description: 'The party it belongs to (a legislature within its state); it must exist already',
  })
  @IsOptional()
  @Matches(SLUG, { message: SLUG_MESSAGE })
  readonly parent?: string;
}

export class CreateSpeakerDto {
  @ApiProperty({ example: 'Sergei Lavrov' }) @IsString() @Length(1, 200) readonly name: string;
  @ApiProperty({ example: 'Foreign Minister of Russia' }) @IsString() @Length(0, 200) readonly role: string;
  // Bounded as every slug is: a 100,000-character one made the "did you mean" search take seconds.
  @ApiProperty({ example: 'russia' })
  @Matches(SLUG, { message: SLUG_MESSAGE })
  @Length(2, 80)
  readonly party: string;
}

export class CreateItemDto {
  @ApiProperty({ example: 'us-third-site' })
  @Matches(SLUG, { message: SLUG_MESSAGE })
  @Length(2, 80)
  readonly slug: string;
  @ApiProperty({ example: 'US third site: 10 interceptors in Poland, radar in the Czech Republic' })
  @IsString()
  @Length(1, 300)
  readonly title: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @Length(0, 2000) readonly description?: string;
}

export class CreateTopicDto {
  @ApiProperty({ example: 'missile-defense-europe' })
  @Matches(SLUG, { message: SLUG_MESSAGE })
  @Length(2, 80)
  readonly slug: string;
  @ApiProperty({ example: 'Missile defense in Europe' }) @IsString() @Length(1, 300) readonly title: string;
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
