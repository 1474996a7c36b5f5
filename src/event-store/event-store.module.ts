import { Global, Module } from '@nestjs/common';
import { EventStore } from './event-store.js';
import { LogChain } from './log-chain.js';
import { LogController } from './log.controller.js';

@Global()
@Module({ providers: [EventStore, LogChain], exports: [EventStore, LogChain], controllers: [LogController] })
export class EventStoreModule {}
