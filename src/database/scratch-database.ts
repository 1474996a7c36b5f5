import pg from 'pg';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EmbeddedDatabase } from './embedded-database.js';

/** Throwaway databases for the e2e tests and the benchmark, never for the service itself. */

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

export async function withClient<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** A new, empty database `name` on the server at `serverUrl`; `drop` removes it. */
export async function createDatabaseOn(
  serverUrl: string,
  name: string,
): Promise<{ url: string; drop(): Promise<void> }> {
  await withClient(serverUrl, (client) => client.query(`CREATE DATABASE ${name}`));
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      await withClient(serverUrl, (client) => client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
    },
  };
}

/** An embedded PostgreSQL in a new temporary folder, on a free port; `stop` stops it and (unless kept) deletes the folder. */
export async function startTemporaryServer(
  prefix: string,
  database: string,
): Promise<{ url: string; port: number; folder: string; stop(keep?: boolean): Promise<void> }> {
  const folder = mkdtempSync(join(tmpdir(), prefix));
  chmodSync(folder, 0o755); // as root, the server runs as "postgres" and must enter it
  const port = await freePort();
  const embedded = new EmbeddedDatabase({ dataDir: join(folder, 'pgdata'), port, database });
  const url = await embedded.start();
  return {
    url,
    port,
    folder,
    stop: async (keep = false) => {
      await embedded.stop();
      if (!keep) rmSync(folder, { recursive: true, force: true });
    },
  };
}
