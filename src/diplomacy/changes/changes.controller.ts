import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { CatalogService } from '../../catalog/catalog.service.js';
import { ApiAnswer } from '../../http/api-answer.decorator.js';
import type { Reading } from '../../event-store/log-reads.js';
import { LogReading, ReadsTheLog } from '../../http/log-reading.js';
import { dayParam, instantParam, today } from '../../http/date-params.js';
import { Problem } from '../../shared/problem.js';
import { changesBetween } from '../domain/positions/changes.js';
import { effectiveLog, evidenceIn, foldTopic, foldTopicWithTitles } from '../domain/time/timeline.js';
import { PositionReader } from '../positions/position-reader.js';
import { TopicHistory } from '../topic-history.js';
import { AnswerEvidence } from '../evidence/answer-evidence.js';
import type { ChangesAnswer, TopicChanges } from './changes.view.js';

@ApiTags('positions')
@Controller('parties/:party/changes')
export class ChangesController {
  constructor(
    private readonly catalog: CatalogService,
    private readonly reader: PositionReader,
    private readonly history: TopicHistory,
    private readonly evidence: AnswerEvidence,
  ) {}

  @Get()
  @ReadsTheLog()
  @ApiAnswer('ChangesAnswer')
  @ApiOperation({
    summary: "What changed in a party's positions between two dates, each change with the event that caused it",
    description:
      "Each change cites its event by reference (`evidence`); the answer's `evidence` map holds each card once.",
  })
  @ApiQuery({ name: 'from', required: true })
  @ApiQuery({ name: 'to', required: false, description: 'default: today' })
  @ApiQuery({ name: 'topic', required: false })
  @ApiQuery({
    name: 'knownAt',
    required: false,
    description:
      'As publicly known at this instant: only events reported by then, with the corrections and retractions reported by then',
  })
  async changes(
    @LogReading() { reader }: Reading,
    @Param('party') party: string,
    @Query('from') from?: string,
    @Query('to') to?: string,
    @Query('topic') topic?: string,
    @Query('knownAt') knownAt?: string,
  ): Promise<ChangesAnswer> {
    if (from === undefined) throw Problem.field('invalid', 'from', 'is required: the date to compare from');
    const fromDay = dayParam('from', from, '');
    const toDay = dayParam('to', to, today());
    if (toDay < fromDay) throw Problem.field('invalid', 'to', `must not be before from (${fromDay})`);
    const known = instantParam('knownAt', knownAt);
    await this.catalog.party(party);
    if (topic) await this.catalog.topic(topic);
    const slugs = topic ? [topic] : await this.reader.topicsOf(party, reader);
    const catalog = await this.catalog.current();
    const result: TopicChanges[] = [];
    for (const slug of slugs) {
      const log = effectiveLog(await this.history.events(slug, reader), known);
      const after = foldTopicWithTitles(slug, log.events, toDay);
      // An item the catalog named keeps the catalog's title; one the events named, theirs on the change's day.
      const catalogTitles = new Map(
        this.reader.items(catalog, slug).flatMap((i) => (i.title ? [[i.slug, i.title]] : [])),
      );
      const changes = changesBetween(
        foldTopic(slug, log.events, fromDay),
        after.state,
        party,
        evidenceIn(log.events),
        (item, eventId) => catalogTitles.get(item) ?? after.titlesWhen(eventId)[item]?.title ?? item,
      );
      if (changes.length) result.push({ topic: slug, title: catalog.topics.get(slug)?.title ?? slug, changes });
    }
    const { value: topics, evidence } = await this.evidence.shown(result, known, reader);
    return { party, from: fromDay, to: toDay, knownAt: known ?? null, topics, evidence };
  }
}
