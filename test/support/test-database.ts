import { randomBytes } from 'node:crypto';
import { createDatabaseOn, startTemporaryServer } from '../../src/database/scratch-database.js';

/** A fresh, empty database on the test server, dropped by `drop()`. */
export interface TestDatabase {
  readonly url: string;
  drop(): Promise<void>;
}

let embedded: Promise<Awaited<ReturnType<typeof startTemporaryServer>>> | undefined;

/**
 * With DATABASE_URL the tests use that server; without it each test file starts an
 * embedded PostgreSQL of its own (stopped by setup-database.ts), as a newcomer's `npm test` does.
 */
async function serverUrl(): Promise<string> {
  if (process.env.DATABASE_URL) return process.env.DATABASE_URL;
  embedded ??= startTemporaryServer('stance-test-', 'postgres');
  return (await embedded).url;
}

export async function stopEmbeddedTestServer(): Promise<void> {
  if (!embedded) return;
  const server = await embedded;
  embedded = undefined;
  await server.stop();
}

export async function createTestDatabase(): Promise<TestDatabase> {
  return createDatabaseOn(await serverUrl(), `stance_test_${randomBytes(6).toString('hex')}`);
}
