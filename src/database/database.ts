import pg from 'pg';
import { DataSource, type DataSourceOptions } from 'typeorm';
import type { Settings } from '../config/settings.js';
import { migrations } from '../../migrations/index.js';
import { EmbeddedDatabase } from './embedded-database.js';
import { CATALOG_ENTITIES } from '../catalog/catalog.entities.js';
import { grantAppRole } from './roles.js';

/** Where the app connects, and as whom migrations run (src/database/roles.ts). */
export interface DatabaseRoles {
  /** The app's connection: with `ownerUrl`, a role that may only read and append to the log. */
  readonly url: string;
  /** The schema's owner, who runs the migrations; absent, `url` runs them too (one role). */
  readonly ownerUrl?: string;
}

export interface RunningDatabase extends DatabaseRoles {
  readonly embedded: boolean;
  stop(): Promise<void>;
}

/**
 * Uses DATABASE_URL (and MIGRATION_DATABASE_URL, the owner, when set) when set; otherwise starts
 * the embedded PostgreSQL kept in STANCE_DATA_DIR, with both roles.
 */
export async function openDatabase(settings: Settings, log?: (line: string) => void): Promise<RunningDatabase> {
  if (settings.databaseUrl) {
    return {
      url: settings.databaseUrl,
      ownerUrl: settings.migrationDatabaseUrl,
      embedded: false,
      stop: () => Promise.resolve(),
    };
  }
  const database = new EmbeddedDatabase({
    dataDir: settings.embeddedDataDir,
    port: settings.embeddedPort,
    database: 'stance',
    log,
  });
  const ownerUrl = await database.start();
  log?.(`Embedded PostgreSQL is running on 127.0.0.1:${settings.embeddedPort} (data in ${settings.embeddedDataDir})`);
  return { url: database.appUrl, ownerUrl, embedded: true, stop: () => database.stop() };
}

/** Schema changes only through migrations, run at start (by `url` itself when no owner is given); synchronize stays off. */
export function dataSourceOptions(url: string, migrationsRun = true): DataSourceOptions {
  return {
    type: 'postgres',
    url,
    synchronize: false,
    migrationsRun,
    migrations,
    entities: CATALOG_ENTITIES,
    extra: { max: 20 },
  };
}

/** How long a read waits for a connection to the standby before it reads the primary instead (LogReads). */
const REPLICA_CONNECT_TIMEOUT_MS = 2000;

/**
 * The connections to a hot standby (DATABASE_READ_URL): raw reads only, so a pg pool rather than
 * a TypeORM data source (which connects at start and would make a standby that is down stop the
 * service; a pool connects when first asked, and LogReads reads the primary meanwhile). A
 * connection that cannot be had soon fails rather than holding the request.
 */
export function replicaPool(url: string): pg.Pool {
  const pool = new pg.Pool({
    connectionString: url,
    max: 20,
    connectionTimeoutMillis: REPLICA_CONNECT_TIMEOUT_MS,
    application_name: 'stance-reads',
  });
  // An idle connection lost (the standby restarted): the pool drops it and connects again when
  // asked; a read that fails meanwhile is logged by LogReads. Unheard, the event would end the process.
  pool.on('error', () => undefined);
  return pool;
}

/**
 * The app's data source. With an owner, the owner migrates and grants the app's role what it
 * needs first (on a connection of its own, closed after); the app's role runs no migration.
 */
export async function openDataSource(database: DatabaseRoles): Promise<DataSource> {
  if (database.ownerUrl) {
    const owner = await new DataSource({ ...dataSourceOptions(database.ownerUrl), extra: { max: 1 } }).initialize();
    try {
      await grantAppRole(owner, decodeURIComponent(new URL(database.url).username));
    } finally {
      await owner.destroy();
    }
  }
  return new DataSource(dataSourceOptions(database.url, !database.ownerUrl)).initialize();
}
