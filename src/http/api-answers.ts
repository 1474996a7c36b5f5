import type { Item, ListedTopic, Party, TopicWithItems } from '../catalog/catalog.entities.js';
import type { ChangesAnswer } from '../diplomacy/changes/changes.view.js';
import type { EventsPage, EventView } from '../diplomacy/events/event-reader.js';
import type { DataPackage } from '../diplomacy/export/data-package.js';
import type { PartyPositionsAnswer, TopicPositionsAnswer } from '../diplomacy/positions/position.view.js';
import type { RecordEventAnswer } from '../diplomacy/record-event/record-event.command.js';
import type { ReplayAnswer } from '../diplomacy/replay/replay.service.js';
import type { LogPage } from '../event-store/stored-event.js';
import type { HealthAnswer } from '../health/health.view.js';
import type { CatalogSpeaker } from '../shared/speakers.js';
import type { ProblemAnswer } from './error.filter.js';

/**
 * Every answer body of the API, by the name of its schema in the OpenAPI document. `npm run
 * client` generates the JSON Schemas of these TypeScript types (answer-schemas.generated.ts, by
 * ts-json-schema-generator), and @ApiAnswer checks that a route returns the type it documents.
 */
export interface ApiAnswers {
  ProblemAnswer: ProblemAnswer;
  PartyPositionsAnswer: PartyPositionsAnswer;
  TopicPositionsAnswer: TopicPositionsAnswer;
  ChangesAnswer: ChangesAnswer;
  ReplayAnswer: ReplayAnswer;
  EventsPage: EventsPage;
  EventView: EventView;
  RecordEventAnswer: RecordEventAnswer;
  LogPage: LogPage;
  HealthAnswer: HealthAnswer;
  Party: Party;
  Parties: readonly Party[];
  CatalogSpeaker: CatalogSpeaker;
  CatalogSpeakers: readonly CatalogSpeaker[];
  TopicWithItems: TopicWithItems;
  Topics: readonly ListedTopic[];
  Item: Item;
  DataPackage: DataPackage;
}
