import { DynamicModule, Module } from '@nestjs/common';
import { AppModule } from '../app.module.js';
import { CatalogModule } from '../catalog/catalog.module.js';
import { DiplomacyModule } from '../diplomacy/diplomacy.module.js';
import type { Settings } from '../config/settings.js';
import type { DatabaseRoles } from '../database/database.js';
import { ExportCommand } from './export.command.js';
import { ImportCommand } from './import.command.js';
import { MigrateCommand, RebuildCommand, SeedCommand } from './maintenance.commands.js';
import { VerifyCommand } from './verify.command.js';

/** The command line: the whole application without the HTTP server. */
@Module({})
export class CliModule {
  static forRoot(settings: Settings, database: DatabaseRoles): DynamicModule {
    return {
      module: CliModule,
      // The catalog: export checks its filters' names against it (checkExportFilters).
      imports: [AppModule.forRoot({ ...settings, seedOnStart: false }, database), DiplomacyModule, CatalogModule],
      providers: [MigrateCommand, SeedCommand, RebuildCommand, ImportCommand, ExportCommand, VerifyCommand],
    };
  }
}
