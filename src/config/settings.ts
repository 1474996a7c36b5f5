import { randomBytes } from 'node:crypto';
import { resolve } from 'node:path';

/** Everything the service reads from its environment, validated once at start. */
export interface Settings {
  readonly port: number;
  readonly host: string;
  /** Absent: the service starts its own embedded PostgreSQL. */
  readonly databaseUrl?: string;
  /** The schema's owner, who runs the migrations; absent: DATABASE_URL's role runs them too (one role). */
  readonly migrationDatabaseUrl?: string;
  /**
   * A hot standby of the database (streaming replication) that position, replay, changes and
   * list reads go to (src/event-store/log-reads.ts); absent: everything reads the primary.
   */
  readonly databaseReadUrl?: string;
  readonly embeddedDataDir: string;
  readonly embeddedPort: number;
  readonly apiToken: string;
  /** True when the token was generated at start (it is printed once). */
  readonly apiTokenGenerated: boolean;
  readonly logLevel: string;
  readonly seedOnStart: boolean;
  /** Where the seed corpus lives (catalog.json and articles/). */
  readonly seedsDir: string;
  /** How many events' worth of topic folds a process keeps in memory for writers (TopicStates). */
  readonly foldCacheEvents: number;
  /** Whether writers save their folds as checkpoints and start from them (FoldCheckpoints). */
  readonly foldCheckpoints: boolean;
  /** How often, in ms, folds that moved by checkpointMinEvents since their checkpoint get a new one; 0: never (only at shutdown and after a rebuild). */
  readonly checkpointIntervalMs: number;
  /** How many events a fold must have moved by since its checkpoint for the periodic one (and how many a topic needs for one after a rebuild). */
  readonly checkpointMinEvents: number;
  /** How long, in ms, a process may spend saving checkpoints when it shuts down. */
  readonly checkpointShutdownMs: number;
  /** How long a client may take to send a whole request (headers and body), in ms: slow bodies are closed with 408. */
  readonly requestTimeoutMs: number;
  /** Writes a client (an IP address) may make per minute; 0: no limit. */
  readonly rateLimitWritesPerMinute: number;
  /** API reads a client may make per minute (the health probe and the page's files are free); 0: no limit. */
  readonly rateLimitReadsPerMinute: number;
  /** Live streams (replay with Accept: text/event-stream) one client may hold open at once. */
  readonly liveStreamsPerClient: number;
  /** Live streams one server process holds open in all. */
  readonly liveStreamsMax: number;
  /** Origins whose browser pages may call the API (CORS); empty: CORS off, no page of another origin may. */
  readonly corsOrigins: readonly string[];
}

export class SettingsError extends Error {}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

function port(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1 || value > 65535) {
    throw new SettingsError(`${name} must be a whole number from 1 to 65535, got "${raw}"`);
  }
  return value;
}

function count(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0)
    throw new SettingsError(`${name} must be a whole number, 0 or more, got "${raw}"`);
  return value;
}

/** A connection string as it may be shown: whatever stands between "user:" and "@" hidden. */
export function withoutPassword(raw: string): string {
  return raw.replace(/^([^:/]*:\/\/[^:@/]*:).*@/, '$1***@'); // up to the last @: a password may hold one
}

function databaseUrl(name: string, raw: string | undefined): URL | undefined {
  if (raw === undefined || raw === '') return undefined;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new SettingsError(`${name} must be a URL like postgres://user@host:5432/db, got "${withoutPassword(raw)}"`);
  }
  if (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:') {
    throw new SettingsError(`${name} must start with postgres:// or postgresql://, got "${url.protocol}//"`);
  }
  if (url.pathname.length <= 1) {
    throw new SettingsError(`${name} must name a database, as in postgres://user@host:5432/stance`);
  }
  return url;
}

/** The two roles (src/database/roles.ts): the owner's URL must reach the app's database as another, named role. */
function databaseRoles(env: NodeJS.ProcessEnv): Pick<Settings, 'databaseUrl' | 'migrationDatabaseUrl'> {
  const app = databaseUrl('DATABASE_URL', env.DATABASE_URL);
  const owner = databaseUrl('MIGRATION_DATABASE_URL', env.MIGRATION_DATABASE_URL);
  if (owner) {
    if (!app) throw new SettingsError("MIGRATION_DATABASE_URL needs DATABASE_URL (the app's role) set too");
    const where = (url: URL) => `${url.hostname}:${url.port || '5432'}${url.pathname}`;
    if (where(owner) !== where(app)) {
      throw new SettingsError(
        `MIGRATION_DATABASE_URL must name the same server and database as DATABASE_URL (${where(app)}), got ${where(owner)}`,
      );
    }
    if (!app.username || app.username === owner.username) {
      throw new SettingsError(
        "DATABASE_URL must name the app's own role, another than the owner's of MIGRATION_DATABASE_URL, as in postgres://stance_app@host/db",
      );
    }
  }
  return { databaseUrl: app && env.DATABASE_URL, migrationDatabaseUrl: owner && env.MIGRATION_DATABASE_URL };
}

function flag(env: NodeJS.ProcessEnv, name: string, fallback: boolean): boolean {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (['1', 'true', 'yes', 'on'].includes(raw.toLowerCase())) return true;
  if (['0', 'false', 'no', 'off'].includes(raw.toLowerCase())) return false;
  throw new SettingsError(`${name} must be true or false, got "${raw}"`);
}

/** CORS_ORIGINS: a comma-separated list of origins (scheme, host and port, as a browser sends Origin), or empty. */
function origins(env: NodeJS.ProcessEnv, name: string): string[] {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return [];
  return raw.split(',').map((part) => {
    const origin = part.trim();
    let url: URL | undefined;
    try {
      url = new URL(origin);
    } catch {
      url = undefined;
    }
    if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:') || url.origin !== origin)
      throw new SettingsError(
        `${name} must list origins like https://notebook.example.org (no path, no trailing slash), got "${origin}"`,
      );
    return origin;
  });
}

/** Reads and checks the environment; throws SettingsError with one clear line on the first bad value. */
export function loadSettings(env: NodeJS.ProcessEnv = process.env): Settings {
  const logLevel = env.LOG_LEVEL || 'info';
  if (!LOG_LEVELS.includes(logLevel)) {
    throw new SettingsError(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}, got "${logLevel}"`);
  }
  const token = env.API_TOKEN;
  if (token !== undefined && token !== '' && token.length < 16) {
    throw new SettingsError('API_TOKEN must be at least 16 characters long');
  }
  return {
    port: port(env, 'PORT', 3000),
    host: env.HOST || '127.0.0.1',
    ...databaseRoles(env),
    databaseReadUrl: databaseUrl('DATABASE_READ_URL', env.DATABASE_READ_URL) && env.DATABASE_READ_URL,
    embeddedDataDir: resolve(env.STANCE_DATA_DIR || '.stance/pgdata'),
    embeddedPort: port(env, 'EMBEDDED_PG_PORT', 54329),
    apiToken: token || randomBytes(24).toString('base64url'),
    apiTokenGenerated: !token,
    logLevel,
    seedOnStart: flag(env, 'SEED_ON_START', true),
    seedsDir: resolve(env.SEEDS_DIR || 'seeds'),
    foldCacheEvents: count(env, 'FOLD_CACHE_EVENTS', 3_000_000),
    foldCheckpoints: flag(env, 'FOLD_CHECKPOINTS', true),
    checkpointIntervalMs: count(env, 'CHECKPOINT_INTERVAL_MS', 300_000),
    checkpointMinEvents: count(env, 'CHECKPOINT_MIN_EVENTS', 500),
    checkpointShutdownMs: count(env, 'CHECKPOINT_SHUTDOWN_MS', 5_000),
    requestTimeoutMs: count(env, 'REQUEST_TIMEOUT_MS', 20_000),
    rateLimitWritesPerMinute: count(env, 'RATE_LIMIT_WRITES_PER_MINUTE', 600),
    rateLimitReadsPerMinute: count(env, 'RATE_LIMIT_READS_PER_MINUTE', 1200),
    liveStreamsPerClient: count(env, 'LIVE_STREAMS_PER_CLIENT', 8),
    liveStreamsMax: count(env, 'LIVE_STREAMS_MAX', 200),
    corsOrigins: origins(env, 'CORS_ORIGINS'),
  };
}
