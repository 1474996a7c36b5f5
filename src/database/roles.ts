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

/** Tables the app rebuilds from the log (drops and builds their indexes): they are the app's own. */
const PROJECTION_TABLES = ['position_elements', 'evidence_cards', 'topic_states'];
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
 * UPDATE, DELETE, TRUNCATE, no ownership, so no ALTER, DROP TRIGGER or CREATE OR REPLACE of its
 * functions). The projection tables become the app's (a rebuild drops and builds their indexes;
 * the owner must be a member of the app's role for that, as a superuser is). Every other table
 * (the catalog) it reads and writes. Functions run with the caller's rights (PUBLIC may execute
 * them): append_events and the chain trigger need no more than INSERT and SELECT on the log, and
 * the log's identity needs no grant on its sequence (no other table has one).
 */
export async function grantAppRole(owner: DataSource, role: string): Promise<void> {
  const app = identifier(role);
  const rows = await owner.query<{ tablename: string; tableowner: string }[]>(
    `SELECT tablename, tableowner FROM pg_tables WHERE schemaname = current_schema() ORDER BY tablename`,
  );
  const tables = rows.map((row) => row.tablename);
  const others = tables.filter(
    (t) => !PROJECTION_TABLES.includes(t) && !APPEND_ONLY_TABLES.includes(t) && !READ_ONLY_TABLES.includes(t),
  );
  const [{ schema }] = await owner.query<{ schema: string }[]>('SELECT current_schema() AS schema');
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
    // Only where it changes: ALTER TABLE locks the table, even to name the owner it has.
    for (const { tablename: table } of rows.filter(
      (r) => PROJECTION_TABLES.includes(r.tablename) && r.tableowner !== role,
    ))
      await manager.query(`ALTER TABLE ${identifier(table)} OWNER TO ${app}`);
  });
}
