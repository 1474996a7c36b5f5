import { Global, Module } from '@nestjs/common';
import type { Settings } from '../config/settings.js';
import { SETTINGS } from '../config/settings.provider.js';
import { replicaPool } from '../database/database.js';
import { EventStore } from './event-store.js';
import { LogChain } from './log-chain.js';
import { LogReads, READ_REPLICA } from './log-reads.js';
import { LogController } from './log.controller.js';

/** The standby's pool when DATABASE_READ_URL names one (LogReads closes it). */
const readReplica = {
  provide: READ_REPLICA,
  inject: [SETTINGS],
  useFactory: (settings: Settings) => (settings.databaseReadUrl ? replicaPool(settings.databaseReadUrl) : null),
};

@Global()
@Module({
  providers: [EventStore, LogChain, LogReads, readReplica],
  exports: [EventStore, LogChain, LogReads],
  controllers: [LogController],
})
export class EventStoreModule {}
