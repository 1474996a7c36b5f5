import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { DatabaseStartError, EmbeddedDatabase } from '../src/database/embedded-database.js';

function listen(port = 0): Promise<Server> {
  return new Promise((resolve) => {
    const server = createServer();
    server.listen(port, '127.0.0.1', () => resolve(server));
  });
}

describe('the embedded PostgreSQL', () => {
  // Each test has a data folder of its own in here.
  const folder = mkdtempSync(join(tmpdir(), 'stance-embedded-'));
  chmodSync(folder, 0o755);
  let port: number;

  beforeAll(async () => {
    const probe = await listen();
    port = (probe.address() as { port: number }).port;
    await new Promise((resolve) => probe.close(resolve));
  });
  afterAll(() => rmSync(folder, { recursive: true, force: true }));

  it('starts, creates its database, and keeps the data for the next start', async () => {
    const dataDir = join(folder, 'restarted');
    const first = new EmbeddedDatabase({ dataDir, port, database: 'stance' });
    const url = await first.start();
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    await client.query('CREATE TABLE kept (n int); INSERT INTO kept VALUES (42)');
    await client.end();
    await first.stop();

    const second = new EmbeddedDatabase({ dataDir, port, database: 'stance' });
    const again = new pg.Client({ connectionString: await second.start() });
    await again.connect();
    expect((await again.query('SELECT n FROM kept')).rows).toEqual([{ n: 42 }]);
    await again.end();
    await second.stop();
  });

  it('clears a stale lock left by a crash', async () => {
    const dataDir = join(folder, 'crashed');
    // A cluster that has run, and the lock file its server would leave behind if it crashed.
    const crashed = new EmbeddedDatabase({ dataDir, port, database: 'stance' });
    await crashed.start();
    await crashed.stop();
    writeFileSync(join(dataDir, 'postmaster.pid'), '999999\n' + dataDir + '\n');
    const database = new EmbeddedDatabase({ dataDir, port, database: 'stance' });
    await expect(database.start()).resolves.toContain(`:${port}/stance`);
    await database.stop();
  });

  it('refuses, with a clear message, a data folder another PostgreSQL is using', async () => {
    const dataDir = join(folder, 'in-use');
    const running = new EmbeddedDatabase({ dataDir, port, database: 'stance' });
    await running.start();
    const pid = readFileSync(join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0];
    const other = new EmbeddedDatabase({ dataDir, port: port + 1, database: 'stance' });
    await expect(other.start()).rejects.toThrow(
      new DatabaseStartError(
        `The embedded database in ${dataDir} is already in use by PostgreSQL process ${pid} (is another Stance running?). ` +
          'Stop it, or set STANCE_DATA_DIR to another folder.',
      ),
    );
    await running.stop();
  });

  it('says which port is taken instead of failing with a stack trace', async () => {
    const squatter = await listen();
    const taken = (squatter.address() as { port: number }).port;
    const database = new EmbeddedDatabase({ dataDir: join(folder, 'port-taken'), port: taken, database: 'stance' });
    await expect(database.start()).rejects.toThrow(`Port ${taken} on 127.0.0.1 is in use`);
    await new Promise((resolve) => squatter.close(resolve));
  });
});
