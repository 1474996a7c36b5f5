import type { DataSourceOptions } from 'typeorm';
import type { Settings } from '../config/settings.js';
import { migrations } from '../../migrations/index.js';
import { EmbeddedDatabase } from './embedded-database.js';
import { CATALOG_ENTITIES } from '../catalog/catalog.entities.js';

export interface RunningDatabase {
  readonly url: string;
  readonly embedded: boolean;
  stop(): Promise<void>;
}

/** Uses DATABASE_URL when set; otherwise starts the embedded PostgreSQL kept in STANCE_DATA_DIR. */
export async function openDatabase(settings: Settings, log?: (line: string) => void): Promise<RunningDatabase> {
  if (settings.databaseUrl) {
    return { url: settings.databaseUrl, embedded: false, stop: () => Promise.resolve() };
  }
  const database = new EmbeddedDatabase({
    dataDir: settings.embeddedDataDir,
    port: settings.embeddedPort,
    database: 'stance',
    log,
  });
  const url = await database.start();
  log?.(`Embedded PostgreSQL is running on 127.0.0.1:${settings.embeddedPort} (data in ${settings.embeddedDataDir})`);
  return { url, embedded: true, stop: () => database.stop() };
}

/** Schema changes only through migrations, run at start; synchronize stays off. */
export function dataSourceOptions(url: string): DataSourceOptions {
  return {
    type: 'postgres',
    url,
    synchronize: false,
    migrationsRun: true,
    migrations,
    entities: CATALOG_ENTITIES,
    extra: { max: 20 },
  };
}
