import pg from 'pg';
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { EmbeddedDatabase } from '../../src/database/embedded-database.js';

/** A fresh, empty database on the test server, dropped by `drop()`. */
export interface TestDatabase {
  readonly url: string;
  drop(): Promise<void>;
}

let embedded: { database: EmbeddedDatabase; dataDir: string; url: Promise<string> } | undefined;

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/**
 * With DATABASE_URL the tests use that server; without it each test file starts an
 * embedded PostgreSQL of its own (stopped by setup-database.ts), as a newcomer's `npm test` does.
 */
function serverUrl(): Promise<string> {
  if (process.env.DATABASE_URL) return Promise.resolve(process.env.DATABASE_URL);
  if (!embedded) {
    const folder = mkdtempSync(join(tmpdir(), 'stance-test-'));
    chmodSync(folder, 0o755); // as root, the server runs as "postgres" and must enter it
    const dataDir = join(folder, 'pgdata');
    const started = freePort().then((port) => {
      const database = new EmbeddedDatabase({ dataDir, port, database: 'postgres' });
      embedded = { ...embedded!, database };
      return database.start();
    });
    embedded = { database: undefined as unknown as EmbeddedDatabase, dataDir, url: started };
  }
  return embedded.url;
}

export async function stopEmbeddedTestServer(): Promise<void> {
  if (!embedded) return;
  const { database, dataDir } = embedded;
  embedded = undefined;
  await database.stop();
  rmSync(dirname(dataDir), { recursive: true, force: true });
}

export async function createTestDatabase(): Promise<TestDatabase> {
  const server = await serverUrl();
  const name = `stance_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: server });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(server);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const client = new pg.Client({ connectionString: server });
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await client.end();
    },
  };
}
