import { Body, Controller, Get, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { ApiAnswer } from '../http/api-answer.decorator.js';
import type { Reading } from '../event-store/log-reads.js';
import { LogReading, ReadsTheLog } from '../http/log-reading.js';
import {
  CreateItemDto,
  CreatePartyDto,
  CreateSpeakerDto,
  CreateTopicDto,
  UpdatePartyDto,
  UpdateTopicDto,
} from './catalog.dto.js';
import type { CatalogSpeaker } from '../shared/speakers.js';
import type { Item, ListedTopic, Party, TopicWithItems } from './catalog.entities.js';
import { CatalogService } from './catalog.service.js';

@ApiTags('catalog')
@Controller()
export class CatalogController {
  constructor(private readonly catalog: CatalogService) {}

  @Get('parties')
  @ApiAnswer('Parties')
  @ApiOperation({ summary: 'Every party whose position is tracked' })
  parties(): Promise<Party[]> {
    return this.catalog.listParties();
  }

  @Get('parties/:party')
  @ApiAnswer('Party')
  party(@Param('party') slug: string): Promise<Party> {
    return this.catalog.party(slug);
  }

  @Post('parties')
  @ApiAnswer('Party', { status: 201, description: 'Created' })
  @ApiBearerAuth()
  createParty(@Body() dto: CreatePartyDto): Promise<Party> {
    return this.catalog.createParty(dto);
  }

  @Patch('parties/:party')
  @ApiAnswer('Party', { description: 'The party as it is named now' })
  @ApiOperation({
    summary: 'Names a party anew (name, aliases, plural); every answer, whatever its date, names it so from now on',
  })
  @ApiBearerAuth()
  updateParty(@Param('party') slug: string, @Body() dto: UpdatePartyDto): Promise<Party> {
    return this.catalog.updateParty(slug, dto);
  }

  @Get('speakers')
  @ApiAnswer('CatalogSpeakers')
  @ApiQuery({ name: 'party', required: false })
  speakers(@Query('party') party?: string): Promise<CatalogSpeaker[]> {
    return this.catalog.listSpeakers(party);
  }

  @Post('speakers')
  @ApiAnswer('CatalogSpeaker', { status: 201, description: 'Created' })
  @ApiBearerAuth()
  createSpeaker(@Body() dto: CreateSpeakerDto): Promise<CatalogSpeaker> {
    return this.catalog.createSpeaker(dto);
  }

  @Get('topics')
  @ReadsTheLog()
  @ApiAnswer('Topics')
  @ApiOperation({ summary: 'Every topic (negotiation dossier), with how many events it holds' })
  topics(@LogReading() { reader }: Reading): Promise<ListedTopic[]> {
    return this.catalog.listTopics(reader);
  }

  @Get('topics/:topic')
  @ApiAnswer('TopicWithItems')
  @ApiOperation({ summary: 'One topic with the items on its table' })
  topic(@Param('topic') slug: string): Promise<TopicWithItems> {
    return this.catalog.topic(slug);
  }

  @Post('topics')
  @ApiAnswer('TopicWithItems', { status: 201, description: 'Created' })
  @ApiBearerAuth()
  createTopic(@Body() dto: CreateTopicDto): Promise<TopicWithItems> {
    return this.catalog.createTopic(dto);
  }

  @Patch('topics/:topic')
  @ApiAnswer('TopicWithItems', { description: 'The topic as it is named now' })
  @ApiOperation({
    summary:
      'Names or describes a topic anew (title, phrase, description; a phrase of null removes it); its slug and items stay',
  })
  @ApiBearerAuth()
  updateTopic(@Param('topic') slug: string, @Body() dto: UpdateTopicDto): Promise<TopicWithItems> {
    return this.catalog.updateTopic(slug, dto);
  }

  @Post('topics/:topic/items')
  @ApiAnswer('Item', { status: 201, description: 'Created' })
  @ApiBearerAuth()
  addItem(@Param('topic') topic: string, @Body() dto: CreateItemDto): Promise<Item> {
    return this.catalog.addItem(topic, dto);
  }
}
