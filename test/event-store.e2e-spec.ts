import { randomUUID } from 'node:crypto';
import pg from 'pg';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { EventStore } from '../src/event-store/event-store.js';
import { EventIdConflictError, WrongExpectedVersionError } from '../src/event-store/event-store.errors.js';
import type { EventToAppend, StoredEvent } from '../src/event-store/stored-event.js';
import { dataSourceOptions } from '../src/database/database.js';
import { createTestDatabase } from './support/test-database.js';
import { startTestApp, TestApp } from './support/test-app.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function event(type = 'noted', data: Record<string, unknown> = { n: 1 }): EventToAppend {
  return {
    id: randomUUID(),
    type,
    data,
    occurredFrom: '2007-06-07',
    occurredTo: '2007-06-07',
    reportedAt: '2007-06-08T00:00:00Z',
  };
}

describe('event store on PostgreSQL', () => {
  let t: TestApp;
  let store: EventStore;

  beforeAll(async () => {
    t = await startTestApp();
    store = new EventStore(t.dataSource); // the bare store, without the diplomacy projection
  });
  afterAll(() => t.close());

  it('appends to a stream and reads it back in version order, with the three clocks', async () => {
    const first = event('proposed', { item: 'gabala' });
    const second = event('rejected', { reason: 'nothing new' });
    const result = await store.append('topic-a', [first, second], 0);
    expect(result.duplicate).toBe(false);
    expect(result.events.map((e) => e.version)).toEqual([1, 2]);

    const read = await store.readStream('topic-a');
    expect(read.map((e) => [e.id, e.type, e.version])).toEqual([
      [first.id, 'proposed', 1],
      [second.id, 'rejected', 2],
    ]);
    expect(read[0].data).toEqual({ item: 'gabala' });
    expect(read[0].occurredFrom).toBe('2007-06-07');
    expect(read[0].reportedAt).toBe('2007-06-08T00:00:00.000Z');
    expect(Date.parse(read[0].recordedAt)).toBeGreaterThan(Date.parse('2020-01-01'));
    expect(read[1].position).toBeGreaterThan(read[0].position);
    expect((await store.readStream('topic-a', 2)).map((e) => e.id)).toEqual([second.id]);
  });

  it('reads in the round trip that begins a transaction what a read of its own reads, stream names with quotes included', async () => {
    const stored = event('noted', { n: 'kept' });
    await store.append("topic-'quoted'", [stored], 0);
    const unknown = randomUUID();
    const streams = ["topic-'quoted'", 'topic-never-written'];
    const ids = [stored.id, unknown, 'not-a-uuid'];
    const alone = await store.transaction((tx) => tx.read(streams, ids));
    const [begun, prereadUsed] = await store.transaction(
      async (tx) => [await tx.read(streams, ids), tx.preread !== undefined] as const,
      streams,
      ids,
    );
    expect(prereadUsed).toBe(true);
    for (const read of [alone, begun]) {
      expect([...read.versions]).toEqual(
        expect.arrayContaining([
          ["topic-'quoted'", 1],
          ['topic-never-written', 0],
        ]),
      );
      expect([...read.stored.keys()]).toEqual([stored.id]);
      expect(read.stored.get(stored.id)!.data).toEqual({ n: 'kept' });
    }
    expect(begun.stored.get(stored.id)).toEqual(alone.stored.get(stored.id));
    // After an append the versions move: read() asks the database again.
    const after = await store.transaction(
      async (tx) => {
        await tx.append([{ stream: "topic-'quoted'", events: [event()], expectedVersion: 1 }]);
        return tx.read(streams, []);
      },
      streams,
      ids,
    );
    expect(after.versions.get("topic-'quoted'")).toBe(2);
  });

  it('refuses an append at the wrong expected version and reports the current one', async () => {
    await store.append('topic-b', [event()], 0);
    const error = await store.append('topic-b', [event()], 0).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WrongExpectedVersionError);
    expect((error as WrongExpectedVersionError).currentVersion).toBe(1);
    expect(await store.streamVersion('topic-b')).toBe(1);
  });

  it('stores an event appended twice with the same id and payload once, and answers as the first time', async () => {
    const once = event('proposed', { item: 'radar' });
    const first = await store.append('topic-c', [once]);
    const again = await store.append('topic-c', [once], 0);
    expect(again.duplicate).toBe(true);
    expect(again.events).toEqual(first.events);
    expect(await store.readStream('topic-c')).toHaveLength(1);
  });

  it('refuses the same id with a different payload and keeps the first', async () => {
    const original = event('proposed', { item: 'radar' });
    await store.append('topic-d', [original]);
    const changed = { ...original, data: { item: 'moon base' } };
    await expect(store.append('topic-d', [changed])).rejects.toBeInstanceOf(EventIdConflictError);
    await expect(store.append('topic-other', [original])).rejects.toBeInstanceOf(EventIdConflictError);
    const [stored] = await store.readStream('topic-d');
    expect(stored.data).toEqual({ item: 'radar' });
  });

  it('names the id when a concurrent writer stored it first in another stream', async () => {
    // Given a writer that has appended an id to one stream and not yet committed
    const raced = event('proposed', { item: 'radar' });
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let appended!: () => void;
    const inside = new Promise<void>((resolve) => (appended = resolve));
    const first = store.transaction(async (tx) => {
      await tx.append([{ stream: 'topic-race-1', events: [raced] }]);
      appended();
      await held;
    });
    await inside;
    // When another writer appends the same id with another payload to another stream (it waits on the index)
    // (its refusal caught at once: under load it can come before this test awaits it)
    const second = store.append('topic-race-2', [{ ...raced, data: { item: 'moon base' } }]).catch((e: unknown) => e);
    await new Promise((resolve) => setTimeout(resolve, 200));
    release();
    await first;
    // Then its refusal names the id, as when the id was already stored
    const error = await second;
    expect(error).toBeInstanceOf(EventIdConflictError);
    expect((error as Error).message).toContain(raced.id);
  });

  it.each([
    ['UPDATE', `UPDATE events SET type = 'forged'`],
    ['DELETE', 'DELETE FROM events'],
    ['TRUNCATE', 'TRUNCATE events'],
  ])('rejects %s issued as raw SQL, with a clear message', async (operation, sql) => {
    await store.append('topic-e', [event()]);
    const client = new pg.Client({ connectionString: t.database.url });
    await client.connect();
    try {
      await expect(client.query(sql)).rejects.toThrow(
        `the event log is append-only: ${operation} on events is not allowed`,
      );
    } finally {
      await client.end();
    }
    expect((await store.readStream('topic-e')).length).toBeGreaterThan(0);
  });

  it('appends in bulk mode with COPY as in request mode: versions, positions, the same checks', async () => {
    const [first, second] = [event('proposed'), event('rejected')];
    const appended = await store.transaction((tx) =>
      tx.append([{ stream: 'topic-bulk', events: [first, second], expectedVersion: 0 }], { mode: 'bulk' }),
    );
    expect(appended.events.map((e) => [e.id, e.version])).toEqual([
      [first.id, 1],
      [second.id, 2],
    ]);
    expect(appended.events[1].position).toBeGreaterThan(appended.events[0].position);
    expect(await store.readStream('topic-bulk')).toEqual(appended.events);
    // The same id again is stored once; a stale expected version and a second stream are refused.
    const again = await store.transaction((tx) =>
      tx.append([{ stream: 'topic-bulk', events: [first] }], { mode: 'bulk' }),
    );
    expect(again.duplicate).toBe(true);
    await expect(
      store.transaction((tx) =>
        tx.append([{ stream: 'topic-bulk', events: [event()], expectedVersion: 0 }], { mode: 'bulk' }),
      ),
    ).rejects.toBeInstanceOf(WrongExpectedVersionError);
    await expect(
      store.transaction((tx) =>
        tx.append(
          [
            { stream: 'topic-bulk', events: [event()] },
            { stream: 'topic-bulk-2', events: [event()] },
          ],
          { mode: 'bulk' },
        ),
      ),
    ).rejects.toThrow('a bulk append writes one stream');
    // Gap-safe order: the append must be its transaction's first write, in either mode (begin_log_append).
    for (const mode of ['bulk', 'request'] as const)
      await expect(
        store.transaction(async (tx) => {
          await tx.manager.query('SELECT pg_current_xact_id()'); // takes a transaction id, as a first write would
          return tx.append([{ stream: 'topic-bulk', events: [event()] }], { mode });
        }),
      ).rejects.toThrow('the event append must be the first write of its transaction');
    expect((await store.readStream('topic-bulk')).length).toBe(2);
  });

  it('serves the log over HTTP, cursor-paged, without a token', async () => {
    await store.append('topic-f', [event(), event(), event()]); // more than the first page
    const page = await request(t.http).get('/log?after=0&limit=2').expect(200);
    expect(page.body.events).toHaveLength(2);
    expect(page.body.hasMore).toBe(true);
    const next = await request(t.http).get(`/log?after=${page.body.next}&limit=1000`).expect(200);
    expect(next.body.events[0].position).toBeGreaterThan(page.body.next);
    await request(t.http).get('/log?limit=0').expect(400);
  });
});

describe('event store under concurrent writers', () => {
  it('a follower sees every event of 8 concurrent writers exactly once, in position order', async () => {
    const database = await createTestDatabase();
    const dataSource = await new DataSource({ ...dataSourceOptions(database.url), extra: { max: 12 } }).initialize();
    const store = new EventStore(dataSource);
    // Random pauses before commit make late commits (lower position, committed after a higher one) common.
    store.registerInlineProjection({
      apply: async () => {
        await sleep(Math.random() * 4);
      },
    });

    const writers = 8;
    const batchesPerWriter = 100;
    const eventsPerBatch = 3; // 8 * 100 * 3 = 2,400 events
    const total = writers * batchesPerWriter * eventsPerBatch;
    let writing = true;

    const seen: StoredEvent[] = [];
    const follower = (async () => {
      let after = 0;
      while (seen.length < total) {
        const page = await store.readAll(after, 500);
        seen.push(...page);
        if (page.length) after = page[page.length - 1].position;
        else if (!writing) await sleep(5);
      }
    })();

    await Promise.all(
      Array.from({ length: writers }, async (_, writer) => {
        for (let batch = 0; batch < batchesPerWriter; batch++) {
          const stream = `stream-${(writer + batch) % 5}`; // shared streams: writers contend
          await store.append(
            stream,
            Array.from({ length: eventsPerBatch }, () => event('noted', { writer, batch })),
          );
        }
      }),
    );
    writing = false;
    await follower;

    const positions = seen.map((e) => e.position);
    expect(new Set(seen.map((e) => e.id)).size).toBe(total);
    expect(seen).toHaveLength(total);
    expect(positions).toEqual([...positions].sort((a, b) => a - b));
    const [{ count }] = await dataSource.query('SELECT count(*)::int AS count FROM events');
    expect(count).toBe(total);
    // Versions in each stream have no holes either.
    const holes = await dataSource.query('SELECT stream FROM events GROUP BY stream HAVING max(version) <> count(*)');
    expect(holes).toEqual([]);

    await dataSource.destroy();
    await database.drop();
  });
});

describe('the gap-safe reader', () => {
  it('waits for a running transaction in its own database, not for one in another database', async () => {
    const database = await createTestDatabase();
    const other = await createTestDatabase();
    const dataSource = await new DataSource(dataSourceOptions(database.url)).initialize();
    const store = new EventStore(dataSource);
    const elsewhere = new pg.Client({ connectionString: other.url });
    const here = new pg.Client({ connectionString: database.url });
    await Promise.all([elsewhere.connect(), here.connect()]);
    try {
      await elsewhere.query('BEGIN');
      await elsewhere.query('SELECT pg_current_xact_id()'); // a long transaction in another database
      await store.append('topic-x', [event()]);
      expect(await store.readAll(0, 10)).toHaveLength(1);

      await here.query('BEGIN');
      await here.query('SELECT pg_current_xact_id()'); // one here, older than the next append
      await store.append('topic-x', [event()]);
      expect(await store.readAll(0, 10)).toHaveLength(1);
      await here.query('COMMIT');
      expect(await store.readAll(0, 10)).toHaveLength(2);
    } finally {
      await elsewhere.query('ROLLBACK');
      await Promise.all([elsewhere.end(), here.end()]);
      await dataSource.destroy();
      await Promise.all([database.drop(), other.drop()]);
    }
  });
});

describe('migrations', () => {
  it('build the schema on an empty database, and a second run changes nothing', async () => {
    const database = await createTestDatabase();
    const first = await new DataSource(dataSourceOptions(database.url)).initialize();
    const tables = await first.query(`SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1`);
    expect(tables.map((r: { tablename: string }) => r.tablename)).toEqual(
      expect.arrayContaining(['events', 'migrations']),
    );
    const triggers = await first.query(
      `SELECT tgname FROM pg_trigger WHERE tgrelid = 'events'::regclass AND NOT tgisinternal ORDER BY 1`,
    );
    expect(triggers.map((r: { tgname: string }) => r.tgname)).toEqual([
      'events_chain',
      'events_no_truncate',
      'events_no_update_or_delete',
    ]);
    const applied = await first.query('SELECT count(*)::int AS n FROM migrations');
    await first.destroy();

    const second = await new DataSource(dataSourceOptions(database.url)).initialize();
    expect(await second.query('SELECT count(*)::int AS n FROM migrations')).toEqual(applied);
    await second.destroy();
    await database.drop();
  });
});
