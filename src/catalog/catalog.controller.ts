import { Body, Controller, Get, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { CreateItemDto, CreatePartyDto, CreateSpeakerDto, CreateTopicDto } from './catalog.dto.js';
import { CatalogService } from './catalog.service.js';

@ApiTags('catalog')
@Controller()
export class CatalogController {
  constructor(private readonly catalog: CatalogService) {}

  @Get('parties')
  @ApiOperation({ summary: 'Every party whose position is tracked' })
  parties() {
    return this.catalog.listParties();
  }

  @Get('parties/:party')
  party(@Param('party') slug: string) {
    return this.catalog.party(slug);
  }

  @Post('parties')
  @ApiBearerAuth()
  createParty(@Body() dto: CreatePartyDto) {
    return this.catalog.createParty(dto);
  }

  @Get('speakers')
  @ApiQuery({ name: 'party', required: false })
  speakers(@Query('party') party?: string) {
    return this.catalog.listSpeakers(party);
  }

  @Post('speakers')
  @ApiBearerAuth()
  createSpeaker(@Body() dto: CreateSpeakerDto) {
    return this.catalog.createSpeaker(dto);
  }

  @Get('topics')
  @ApiOperation({ summary: 'Every topic (negotiation dossier)' })
  topics() {
    return this.catalog.listTopics();
  }

  @Get('topics/:topic')
  @ApiOperation({ summary: 'One topic with the items on its table' })
  topic(@Param('topic') slug: string) {
    return this.catalog.topic(slug);
  }

  @Post('topics')
  @ApiBearerAuth()
  createTopic(@Body() dto: CreateTopicDto) {
    return this.catalog.createTopic(dto);
  }

  @Post('topics/:topic/items')
  @ApiBearerAuth()
  addItem(@Param('topic') topic: string, @Body() dto: CreateItemDto) {
    return this.catalog.addItem(topic, dto);
  }
}
