import pg from 'pg';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EmbeddedDatabase } from '../src/database/embedded-database.js';
import type { BenchCatalog } from './generate.js';

export interface BenchDatabase {
  readonly url: string;
  /** Where it runs, for the report. */
  readonly description: string;
  drop(): Promise<void>;
}

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

/**
 * A fresh, empty database: a new one on the server at DATABASE_URL when it is set, else a new
 * embedded PostgreSQL in a temporary folder (as the e2e tests do). `drop` removes it again.
 */
export async function freshDatabase(keep: boolean): Promise<BenchDatabase> {
  const server = process.env.DATABASE_URL;
  if (server) {
    const name = `stance_bench_${process.pid}_${Date.now()}`;
    const admin = new pg.Client({ connectionString: server });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    await admin.end();
    const url = new URL(server);
    url.pathname = `/${name}`;
    return {
      url: url.toString(),
      description: `database ${name} on the server at ${url.host} (DATABASE_URL)`,
      drop: async () => {
        if (keep) return;
        const client = new pg.Client({ connectionString: server });
        await client.connect();
        await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
        await client.end();
      },
    };
  }
  const folder = mkdtempSync(join(tmpdir(), 'stance-bench-pg-'));
  chmodSync(folder, 0o755); // as root, the server runs as "postgres" and must enter it
  const port = await freePort();
  const embedded = new EmbeddedDatabase({ dataDir: join(folder, 'pgdata'), port, database: 'stance_bench' });
  const url = await embedded.start();
  return {
    url,
    description: `embedded PostgreSQL on port ${port} in ${folder}`,
    drop: async () => {
      await embedded.stop();
      if (!keep) rmSync(folder, { recursive: true, force: true });
    },
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
    await client.query(
      `INSERT INTO speakers (name, party, role) SELECT * FROM unnest($1::text[], $2::text[], $3::text[]) ON CONFLICT DO NOTHING`,
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
