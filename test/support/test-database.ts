import { randomBytes } from 'node:crypto';
import { asAppRole, ensureAppRole } from '../../src/database/roles.js';
import { createDatabaseOn, startTemporaryServer, withClient } from '../../src/database/scratch-database.js';

/** A fresh, empty database on the test server, dropped by `drop()`. */
export interface TestDatabase {
  /** As the superuser: the schema's owner, and anything a test does behind the app's back. */
  readonly url: string;
  /** As the app's role (src/database/roles.ts), which the test app connects as. */
  readonly appUrl: string;
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
  appRole = undefined;
  await server.stop();
}

let appRole: Promise<void> | undefined;

export async function createTestDatabase(): Promise<TestDatabase> {
  const server = await serverUrl();
  appRole ??= withClient(server, ensureAppRole);
  await appRole;
  const database = await createDatabaseOn(server, `stance_test_${randomBytes(6).toString('hex')}`);
  return { ...database, appUrl: asAppRole(database.url) };
}
