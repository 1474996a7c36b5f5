import type { DataSourceOptions } from 'typeorm';
import type { Settings } from '../config/settings.js';
import { migrations } from '../../migrations/index.js';
import { createHash } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { EmbeddedDatabase, folderBlockingPostgresUser } from './embedded-database.js';
import { CATALOG_ENTITIES } from '../catalog/catalog.entities.js';

export interface RunningDatabase {
  readonly url: string;
  readonly embedded: boolean;
  stop(): Promise<void>;
}

/** Uses DATABASE_URL when set; otherwise starts the embedded PostgreSQL kept in STANCE_DATA_DIR. */
export async function openDatabase(settings: Settings, log?: (line: string) => void): Promise<RunningDatabase> {
  if (settings.databaseUrl) {
    return { url: settings.databaseUrl, embedded: false, stop: async () => undefined };
  }
  const dataDir = embeddedDataDir(settings, log);
  const database = new EmbeddedDatabase({
    dataDir,
    port: settings.embeddedPort,
    database: 'stance',
    log,
  });
  const url = await database.start();
  log?.(`Embedded PostgreSQL is running on 127.0.0.1:${settings.embeddedPort} (data in ${dataDir})`);
  return { url, embedded: true, stop: () => database.stop() };
}

/**
 * As root, PostgreSQL runs as the "postgres" user; a project cloned under a private folder (such
 * as /root) is out of its reach. Then the default data folder moves to /var/tmp, one per project.
 */
function embeddedDataDir(settings: Settings, log?: (line: string) => void): string {
  const blocked = settings.embeddedDataDirIsDefault ? folderBlockingPostgresUser(settings.embeddedDataDir) : undefined;
  if (!blocked) return settings.embeddedDataDir;
  const folder = `/var/tmp/stance-${createHash('sha256').update(settings.embeddedDataDir).digest('hex').slice(0, 12)}`;
  mkdirSync(folder, { recursive: true, mode: 0o755 });
  log?.(`The "postgres" user cannot enter ${blocked}, so the embedded data lives in ${folder} (set STANCE_DATA_DIR to choose)`);
  return `${folder}/pgdata`;
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
