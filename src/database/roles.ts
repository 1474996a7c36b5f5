import type pg from 'pg';
import type { DataSource } from 'typeorm';

/**
 * Two roles (docs/architecture.md, "The hash chain and two roles"): the schema's owner runs the
 * migrations; the app connects as a role that may only read and append to the log, so a bug or
 * a stolen connection of the app cannot rewrite history, nor lift the triggers that forbid it.
 */

/** The app's role where Stance creates it itself: the embedded PostgreSQL, and test servers. */
export const APP_ROLE = 'stance_app';
/** The embedded server listens on 127.0.0.1 only, like its owner's password, this one guards nothing more. */
export const APP_ROLE_PASSWORD = 'stance-embedded-app';

/** Tables the app empties and writes again in a rebuild: TRUNCATE too. */
const PROJECTION_TABLES = ['position_elements', 'evidence_cards', 'topic_states'];
/** The rebuild's steps only an owner may take (migrations/1763801300000-rebuild-steps-for-the-app.ts). */
const REBUILD_STEPS = ['projection_indexes_dropped', 'projection_indexes_built', 'projection_analyzed'];
/** Tables the app may only read and append to; `migrations` it only reads. */
const APPEND_ONLY_TABLES = ['events'];
const READ_ONLY_TABLES = ['migrations'];

const identifier = (name: string) => `"${name.replaceAll('"', '""')}"`;

/**
 * Creates the app's role on a server if it is not there. Roles belong to the whole server, and
 * test files create theirs concurrently: whoever comes second finds it there (duplicate_object)
 * or loses the race on the catalog (unique_violation), both fine. It is never dropped.
 */
export async function ensureAppRole(serverClient: pg.Client): Promise<void> {
  const found = await serverClient.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [APP_ROLE]);
  if (found.rowCount) return;
  try {
    await serverClient.query(`CREATE ROLE ${identifier(APP_ROLE)} LOGIN PASSWORD '${APP_ROLE_PASSWORD}'`);
  } catch (error) {
    if (!['42710', '23505'].includes((error as { code?: string }).code ?? '')) throw error;
  }
}

/** The connection string of `url` as the app's role. */
export function asAppRole(url: string): string {
  const app = new URL(url);
  app.username = APP_ROLE;
  app.password = APP_ROLE_PASSWORD;
  return app.toString();
}

/**
 * What the app's role may do, granted by the owner after migrating (on every start: GRANT is
 * idempotent, and a new table gets its grant). On the log: SELECT and INSERT, nothing else (no
 * UPDATE, DELETE, TRUNCATE; it owns no table nor function, so no ALTER, DROP TRIGGER or CREATE
 * OR REPLACE of the log's functions). Every other table (the catalog, the projection) it reads
 * and writes, and it empties the projection's tables for a rebuild, whose index steps it runs
 * through the owner's functions. Other functions run with the caller's rights (PUBLIC may
 * execute them): append_events and the chain trigger need no more than INSERT and SELECT on the
 * log, and the log's identity needs no grant on its sequence (no other table has one).
 */
export async function grantAppRole(owner: DataSource, role: string): Promise<void> {
  const app = identifier(role);
  const [{ schema }] = await owner.query<{ schema: string }[]>('SELECT current_schema() AS schema');
  const tables = (
    await owner.query<{ tablename: string }[]>(
      `SELECT tablename FROM pg_tables WHERE schemaname = current_schema() ORDER BY tablename`,
    )
  ).map((row) => row.tablename);
  const others = tables.filter((t) => !APPEND_ONLY_TABLES.includes(t) && !READ_ONLY_TABLES.includes(t));
  await owner.transaction(async (manager) => {
    await manager.query(`GRANT USAGE ON SCHEMA ${identifier(schema)} TO ${app}`);
    // Revoked first: a role that once ran alone (one-role setup) may hold more.
    for (const table of [...APPEND_ONLY_TABLES, ...READ_ONLY_TABLES])
      await manager.query(`REVOKE ALL ON ${identifier(table)} FROM ${app}`);
    for (const table of APPEND_ONLY_TABLES)
      await manager.query(`GRANT SELECT, INSERT ON ${identifier(table)} TO ${app}`);
    for (const table of READ_ONLY_TABLES) await manager.query(`GRANT SELECT ON ${identifier(table)} TO ${app}`);
    if (others.length)
      await manager.query(`GRANT SELECT, INSERT, UPDATE, DELETE ON ${others.map(identifier).join(', ')} TO ${app}`);
    await manager.query(`GRANT TRUNCATE ON ${PROJECTION_TABLES.map(identifier).join(', ')} TO ${app}`);
    await manager.query(
      `GRANT EXECUTE ON FUNCTION ${REBUILD_STEPS.map((f) => `${identifier(f)}()`).join(', ')} TO ${app}`,
    );
  });
}
