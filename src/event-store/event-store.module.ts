import { Global, Module } from '@nestjs/common';
import { EventStore } from './event-store.js';
import { LogController } from './log.controller.js';

@Global()
@Module({ providers: [EventStore], exports: [EventStore], controllers: [LogController] })
export class EventStoreModule {}
