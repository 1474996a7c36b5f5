import { DynamicModule, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { ConfigModule } from '@nestjs/config';
import { CqrsModule } from '@nestjs/cqrs';
import { TypeOrmModule } from '@nestjs/typeorm';
import { LoggerModule } from 'nestjs-pino';
import type { DestinationStream } from 'pino';
import type { Settings } from './config/settings.js';
import { SETTINGS } from './config/settings.provider.js';
import { type DatabaseRoles, dataSourceOptions, openDataSource } from './database/database.js';
import { EventStoreModule } from './event-store/event-store.module.js';
import { CatalogModule } from './catalog/catalog.module.js';
import { NotificationsModule } from './database/notifications.module.js';
import { DiplomacyModule } from './diplomacy/diplomacy.module.js';
import { HealthModule } from './health/health.module.js';
import { BearerTokenGuard } from './http/bearer-token.guard.js';
import { createRequestLog, REQUEST_LOG } from './http/request-log.js';
import { WebModule } from './web/web.module.js';

@Module({})
export class AppModule {
  /** `database` is known only after the embedded database (if any) has started. */
  static forRoot(settings: Settings, database: DatabaseRoles, logDestination?: DestinationStream): DynamicModule {
    const requestLog = createRequestLog(settings, logDestination);
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot({ isGlobal: true, ignoreEnvFile: true, load: [() => ({ ...settings })] }),
        // Application logs and request lines share one pino logger; the lines themselves are
        // written from a Fastify hook (logRequests), which sees requests no middleware reaches.
        LoggerModule.forRoot({ pinoHttp: { logger: requestLog.logger, autoLogging: false } }),
        TypeOrmModule.forRootAsync({
          useFactory: () => dataSourceOptions(database.url, !database.ownerUrl),
          dataSourceFactory: () => openDataSource(database),
        }),
        CqrsModule.forRoot(),
        NotificationsModule,
        EventStoreModule,
        CatalogModule,
        DiplomacyModule,
        HealthModule,
        WebModule,
      ],
      providers: [
        { provide: SETTINGS, useValue: settings },
        { provide: REQUEST_LOG, useValue: requestLog },
        { provide: APP_GUARD, useClass: BearerTokenGuard },
      ],
      exports: [SETTINGS, REQUEST_LOG],
      global: true,
    };
  }
}
