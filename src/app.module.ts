import { DynamicModule, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { ConfigModule } from '@nestjs/config';
import { CqrsModule } from '@nestjs/cqrs';
import { TypeOrmModule } from '@nestjs/typeorm';
import { LoggerModule } from 'nestjs-pino';
import type { Settings } from './config/settings.js';
import { SETTINGS } from './config/settings.provider.js';
import { type DatabaseRoles, dataSourceOptions, openDataSource } from './database/database.js';
import { EventStoreModule } from './event-store/event-store.module.js';
import { CatalogModule } from './catalog/catalog.module.js';
import { DiplomacyModule } from './diplomacy/diplomacy.module.js';
import { HealthModule } from './health/health.module.js';
import { BearerTokenGuard } from './http/bearer-token.guard.js';
import { WebModule } from './web/web.module.js';

@Module({})
export class AppModule {
  /** `database` is known only after the embedded database (if any) has started. */
  static forRoot(settings: Settings, database: DatabaseRoles): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot({ isGlobal: true, ignoreEnvFile: true, load: [() => ({ ...settings })] }),
        LoggerModule.forRoot({
          pinoHttp: {
            level: settings.logLevel,
            // One short line per request: method, url, status and time are what an operator needs.
            serializers: {
              req: (req: { method: string; url: string }) => ({ method: req.method, url: req.url }),
              res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
            },
            // A line per request only where the level shows it: above info the logger would only drop it, at a cost per request.
            autoLogging: ['trace', 'debug', 'info'].includes(settings.logLevel)
              ? { ignore: (req) => req.url === '/health' }
              : false,
          },
        }),
        TypeOrmModule.forRootAsync({
          useFactory: () => dataSourceOptions(database.url, !database.ownerUrl),
          dataSourceFactory: () => openDataSource(database),
        }),
        CqrsModule.forRoot(),
        EventStoreModule,
        CatalogModule,
        DiplomacyModule,
        HealthModule,
        WebModule,
      ],
      providers: [
        { provide: SETTINGS, useValue: settings },
        { provide: APP_GUARD, useClass: BearerTokenGuard },
      ],
      exports: [SETTINGS],
      global: true,
    };
  }
}
