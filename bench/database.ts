import pg from 'pg';
import { createDatabaseOn, startTemporaryServer } from '../src/database/scratch-database.js';
import type { StreamingReplica } from '../src/database/streaming-replica.js';
import type { BenchCatalog } from './generate.js';

export interface BenchDatabase {
  readonly url: string;
  /** Where it runs, for the report. */
  readonly description: string;
  /** A word for the results file's name: `embedded`, `server` or `replica`. */
  readonly kind: 'embedded' | 'server' | 'replica';
  drop(): Promise<void>;
}

/**
 * A fresh, empty database: a new one on the server at DATABASE_URL when it is set, else a new
 * embedded PostgreSQL in a temporary folder (as the e2e tests do). `drop` removes it again.
 */
export async function freshDatabase(keep: boolean): Promise<BenchDatabase> {
  const server = process.env.DATABASE_URL;
  if (server) {
    const name = `stance_bench_${process.pid}_${Date.now()}`;
    const database = await createDatabaseOn(server, name);
    return {
      url: database.url,
      description: `database ${name} on the server at ${new URL(server).host} (DATABASE_URL)`,
      kind: 'server',
      drop: async () => {
        if (!keep) await database.drop();
      },
    };
  }
  const embedded = await startTemporaryServer('stance-bench-pg-', 'stance_bench');
  return {
    url: embedded.url,
    description: `embedded PostgreSQL on port ${embedded.port} in ${embedded.folder}`,
    kind: 'embedded',
    drop: () => embedded.stop(keep),
  };
}

/** A new database on the primary of a streaming replica (`--replica`), once the standby has it too; the replica goes with its servers. */
export async function replicatedDatabase(replica: StreamingReplica): Promise<BenchDatabase> {
  const name = `stance_bench_${process.pid}_${Date.now()}`;
  const database = await createDatabaseOn(replica.primaryUrl, name);
  await replica.untilOnStandby(database.url);
  return {
    url: database.url,
    description: `database ${name} on a primary at ${new URL(replica.primaryUrl).host} with a hot standby at ${new URL(replica.standbyUrl).host} (--replica)`,
    kind: 'replica',
    drop: () => database.drop(),
  };
}

/** A database an earlier run kept (--keep) on DATABASE_URL's server, left as it is afterwards. */
export function keptDatabase(name: string): BenchDatabase {
  const server = process.env.DATABASE_URL;
  if (!server) throw new Error('--reuse needs DATABASE_URL: the kept database is on that server');
  const url = new URL(server);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    description: `kept database ${name} on the server at ${url.host} (DATABASE_URL)`,
    kind: 'server',
    drop: () => Promise.resolve(),
  };
}

/** Loads the generated catalog with a few set-based inserts (the seed loader's row-by-row path is for 80 events). */
export async function loadCatalog(url: string, catalog: BenchCatalog): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query('BEGIN');
    const { parties, speakers, topics } = catalog;
    await client.query(
      `INSERT INTO parties (slug, name, kind) SELECT * FROM unnest($1::text[], $2::text[], $3::text[])`,
      [parties.map((p) => p.slug), parties.map((p) => p.name), parties.map((p) => p.kind)],
    );
    // Each generated speaker holds one role, undated (migrations/1763801500000-speaker-roles.ts).
    await client.query(
      `INSERT INTO speakers (name, party) SELECT * FROM unnest($1::text[], $2::text[]) ON CONFLICT DO NOTHING`,
      [speakers.map((s) => s.name), speakers.map((s) => s.party)],
    );
    await client.query(
      `INSERT INTO speaker_roles (speaker, party, role) SELECT * FROM unnest($1::text[], $2::text[], $3::text[]) ON CONFLICT DO NOTHING`,
      [speakers.map((s) => s.name), speakers.map((s) => s.party), speakers.map((s) => s.role)],
    );
    await client.query(
      `INSERT INTO topics (slug, title, description) SELECT * FROM unnest($1::text[], $2::text[], $3::text[])`,
      [topics.map((t) => t.slug), topics.map((t) => t.title), topics.map((t) => t.description)],
    );
    const items = topics.flatMap((t) => t.items.map((i) => ({ topic: t.slug, ...i })));
    await client.query(
      `INSERT INTO items (topic, slug, title) SELECT * FROM unnest($1::text[], $2::text[], $3::text[])`,
      [items.map((i) => i.topic), items.map((i) => i.slug), items.map((i) => i.title)],
    );
    await client.query('COMMIT');
  } finally {
    await client.end();
  }
}
