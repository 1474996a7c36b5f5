import { Module } from '@nestjs/common';
import { CatalogModule } from '../catalog/catalog.module.js';
import { ChangesController } from './changes/changes.controller.js';
import { EventReader } from './events/event-reader.js';
import { EventsController } from './events/events.controller.js';
import { PositionReader } from './positions/position-reader.js';
import {
  PartyCompactPositionsHandler,
  PartyPositionsHandler,
  TopicPositionsHandler,
} from './positions/positions.handlers.js';
import { PositionsController } from './positions/positions.controller.js';
import { PositionProjection } from './projection/position.projection.js';
import { TopicStates } from './projection/topic-states.js';
import { FoldCheckpoints } from './projection/fold-checkpoints.js';
import { CheckpointSchedule } from './projection/checkpoint-schedule.js';
import { RecordEventController } from './record-event/record-event.controller.js';
import { RecordEventHandler } from './record-event/record-event.handler.js';
import { LogTail, WakeTailOnEventRecorded } from './replay/log-tail.js';
import { LiveStreams } from './replay/live-streams.js';
import { ReplayController } from './replay/replay.controller.js';
import { ReplayService } from './replay/replay.service.js';
import { TopicHistory } from './topic-history.js';
import { SeedLoader } from './seeds/seed-loader.js';
import { BulkImporter } from './import/bulk-import.service.js';
import { AnswerEvidence } from './evidence/answer-evidence.js';
import { EventExport } from './export/event-export.service.js';
import { ExportController } from './export/export.controller.js';

@Module({
  imports: [CatalogModule],
  controllers: [
    RecordEventController,
    EventsController,
    PositionsController,
    ChangesController,
    ReplayController,
    ExportController,
  ],
  providers: [
    PositionProjection,
    TopicStates,
    FoldCheckpoints,
    CheckpointSchedule,
    RecordEventHandler,
    PartyPositionsHandler,
    PartyCompactPositionsHandler,
    TopicPositionsHandler,
    PositionReader,
    EventReader,
    TopicHistory,
    ReplayService,
    LogTail,
    WakeTailOnEventRecorded,
    LiveStreams,
    SeedLoader,
    BulkImporter,
    AnswerEvidence,
    EventExport,
  ],
  exports: [PositionProjection, TopicStates, SeedLoader, BulkImporter, EventExport],
})
export class DiplomacyModule {}
