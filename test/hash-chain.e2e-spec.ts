import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { CHAIN_BROKEN, verifyOutcome } from '../src/cli/verify-outcome.js';
import { dataSourceOptions } from '../src/database/database.js';
import { withClient } from '../src/database/scratch-database.js';
import { EventStore } from '../src/event-store/event-store.js';
import { LogChain } from '../src/event-store/log-chain.js';
import type { EventToAppend } from '../src/event-store/stored-event.js';
import { claim, record, startCatalogApp } from './support/scenario.js';
import type { TestApp } from './support/test-app.js';
import { createTestDatabase } from './support/test-database.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const noted = (n: number): EventToAppend => ({
  id: randomUUID(),
  type: 'noted',
  data: { n, text: 'ünïcødé \t "quoted"' },
  occurredFrom: '2007-06-07',
  occurredTo: '2007-06-08',
  reportedAt: '2007-06-08T12:34:56.789Z',
});

/** What `npm run verify` ends with: nothing on an intact log, its failure otherwise. */
const verifyCommand = async (t: TestApp) => verifyOutcome(await t.app.get(LogChain).verify(), 0).failure;

/** The owner, behind the app's back: lifts the append-only trigger for one statement. */
const tamper = (t: TestApp, statement: string) =>
  withClient(t.database.url, (owner) =>
    owner.query(`BEGIN;
      ALTER TABLE events DISABLE TRIGGER events_no_update_or_delete;
      ${statement};
      ALTER TABLE events ENABLE TRIGGER events_no_update_or_delete;
      COMMIT`),
  );

describe('the hash chain of the log', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await startCatalogApp();
  });
  afterEach(() => t.close());

  const positions = async (): Promise<{ position: number; id: string }[]> =>
    (await t.dataSource.query('SELECT position, id FROM events ORDER BY position')).map(
      (r: { position: string; id: string }) => ({ position: Number(r.position), id: r.id }),
    );

  it('verifies an untouched log, shows its head on /health, and names the first altered or missing row', async () => {
    for (const occurred of ['2007-06-01', '2007-06-02', '2007-06-03', '2007-06-04', '2007-06-05'])
      await record(t, claim({ id: randomUUID(), occurred }));
    const rows = await positions();
    expect(rows).toHaveLength(5);

    const intact = await t.app.get(LogChain).verify();
    expect(intact).toMatchObject({ checked: 5, head: { position: rows[4].position } });
    expect(intact.broken).toBeUndefined();
    expect(await verifyCommand(t)).toBeUndefined();

    const [stored] = await t.dataSource.query(`SELECT encode(hash, 'hex') AS hash FROM events WHERE position = $1`, [
      rows[4].position,
    ]);
    expect(stored.hash).toMatch(/^[0-9a-f]{64}$/);
    const health = await request(t.http).get('/health').expect(200);
    expect(health.body.info.chain).toEqual({ status: 'up', position: rows[4].position, hash: stored.hash });
    expect(intact.head.hash).toBe(stored.hash);

    // The owner edits a stored claim: that row no longer follows from the one before it.
    const data = `jsonb_set(data, '{summary}', '"Putin says Russia supports the US third site."')`;
    await tamper(t, `UPDATE events SET data = ${data} WHERE position = ${rows[2].position}`);
    expect((await t.app.get(LogChain).verify()).broken).toEqual({
      position: rows[2].position,
      id: rows[2].id,
      previousPosition: rows[1].position,
    });
    const failure = await verifyCommand(t);
    expect(failure?.exitCode).toBe(CHAIN_BROKEN);
    expect(failure?.message).toContain(`position ${rows[2].position} (event ${rows[2].id})`);

    // Recomputing that row's hash too only moves the break to the next row.
    await tamper(
      t,
      `UPDATE events SET hash = event_hash((SELECT hash FROM events WHERE position = ${rows[1].position}), events) WHERE position = ${rows[2].position}`,
    );
    expect((await t.app.get(LogChain).verify()).broken?.position).toBe(rows[3].position);

    // A deleted row: the row after it is the first that does not follow.
    await tamper(t, `DELETE FROM events WHERE position = ${rows[0].position}`);
    expect((await t.app.get(LogChain).verify()).broken).toEqual({
      position: rows[1].position,
      id: rows[1].id,
      previousPosition: 0,
    });
  });

  it('refuses the app role any change to the log but appends, and any change to its triggers and functions', async () => {
    await record(t, claim({ id: randomUUID() }));
    const [{ user }] = await t.dataSource.query('SELECT current_user AS user');
    expect(user).toBe('stance_app');
    // PostgreSQL 15 and later refuse CREATE in the public schema to all but its owner before they
    // look at the function's owner; either refusal will do.
    const refused: [string, RegExp][] = [
      [`UPDATE events SET data = '{}'`, /permission denied for table events/],
      ['DELETE FROM events', /permission denied for table events/],
      ['TRUNCATE events', /permission denied for table events/],
      [`UPDATE events SET hash = '\\x00'`, /permission denied for table events/],
      [
        `CREATE OR REPLACE FUNCTION events_are_append_only() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN OLD; END $$`,
        /must be owner of function events_are_append_only|permission denied for schema public/,
      ],
      [
        `CREATE OR REPLACE FUNCTION events_chain() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$`,
        /must be owner of function events_chain|permission denied for schema public/,
      ],
      ['DROP TRIGGER events_no_update_or_delete ON events', /must be owner of (table|relation) events/],
      ['DROP TRIGGER events_chain ON events', /must be owner of (table|relation) events/],
      ['ALTER TABLE events DISABLE TRIGGER events_no_update_or_delete', /must be owner of (table|relation) events/],
      ['ALTER TABLE events ADD COLUMN note text', /must be owner of (table|relation) events/],
      ['DROP TABLE events', /must be owner of (table|relation) events/],
      ['DELETE FROM migrations', /permission denied for table migrations/],
    ];
    for (const [statement, message] of refused) await expect(t.dataSource.query(statement)).rejects.toThrow(message);

    // What it may do: append, even by hand (the trigger chains it, whatever hash it brings).
    await t.dataSource.query(
      `SELECT 1 FROM append_events(ARRAY[$1::uuid], ARRAY['by-hand'], ARRAY[1], ARRAY['noted'], ARRAY['{}'::jsonb], ARRAY['{}'::jsonb], ARRAY[NULL::date], ARRAY[NULL::date], ARRAY[NULL::timestamptz])`,
      [randomUUID()],
    );
    const chain = await t.app.get(LogChain).verify();
    expect(chain.broken).toBeUndefined();
    expect(chain.checked).toBe(2);
  });

  it('stays whole under 16 concurrent writers, late commits and rolled-back appends', async () => {
    const store = new EventStore(t.dataSource); // the bare store (the app's role), without the diplomacy projection
    const writers = 16;
    const batches = 15;
    await Promise.all(
      Array.from({ length: writers }, async (_, writer) => {
        for (let batch = 0; batch < batches; batch++) {
          const events = [noted(batch), noted(batch + 1)];
          if ((writer + batch) % 7 === 0) {
            // Appended, then rolled back: its positions are a gap the chain does not link through.
            await expect(
              store.transaction(async (tx) => {
                await tx.append([{ stream: `rolled-back-${writer}`, events }]);
                throw new Error('rolled back');
              }),
            ).rejects.toThrow('rolled back');
          } else {
            await store.transaction(async (tx) => {
              await tx.append([{ stream: `stream-${(writer + batch) % 5}`, events }]);
              await sleep(Math.random() * 3); // a late commit
            });
          }
        }
      }),
    );
    const [{ count, gaps }] = await t.dataSource.query(
      'SELECT count(*)::int AS count, (max(position) - count(*))::int AS gaps FROM events',
    );
    expect(gaps).toBeGreaterThan(0);
    const chain = await t.app.get(LogChain).verify();
    expect(chain.broken).toBeUndefined();
    expect(chain.checked).toBe(count);
  });
});

describe('the hash chain migration', () => {
  it('chains the rows already in the log in position order, as the insert trigger does', async () => {
    const database = await createTestDatabase();
    const dataSource = await new DataSource(dataSourceOptions(database.url)).initialize();
    try {
      const store = new EventStore(dataSource);
      for (let i = 0; i < 30; i++) await store.append(`stream-${i % 3}`, [noted(i), noted(i + 1)]);
      const hashes = () =>
        dataSource.query(`SELECT position, encode(hash, 'hex') AS hash FROM events ORDER BY position`);
      const atInsert = await hashes();

      // The log as it was before the chain: the migrations after it, then it, undone.
      const applied = async () =>
        (await dataSource.query('SELECT name FROM migrations')).map((m: { name: string }) => m.name);
      while ((await applied()).includes('HashChain1763801200000')) await dataSource.undoLastMigration();
      expect(
        await dataSource.query(`SELECT 1 FROM pg_attribute WHERE attrelid = 'events'::regclass AND attname = 'hash'`),
      ).toEqual([]);
      await dataSource.runMigrations();
      expect(await hashes()).toEqual(atInsert);
      expect((await new LogChain(dataSource).verify()).checked).toBe(60);
    } finally {
      await dataSource.destroy();
      await database.drop();
    }
  });
});
