import request from 'supertest';
import { asAppRole, ensureAppRole } from '../src/database/roles.js';
import { createDatabaseOn, freePort, withClient } from '../src/database/scratch-database.js';
import { startStreamingReplica, type StreamingReplica } from '../src/database/streaming-replica.js';
import { REPLICA_RETRY_MS } from '../src/event-store/log-reads.js';
import { LOG_POSITION_HEADER } from '../src/http/log-position.js';
import { claim, createCatalog, createTopic, record } from './support/scenario.js';
import { startAppOn, type TestApp } from './support/test-app.js';
import type { TestDatabase } from './support/test-database.js';

/** The log position an answer says it reflects. */
const positionOf = (response: request.Response) => {
  const header = response.headers[LOG_POSITION_HEADER.toLowerCase()] as string | undefined;
  expect(header).toMatch(/^[0-9]+$/);
  return Number(header);
};

/** A database on the replicated server, once the standby has it too. */
async function replicatedDatabase(replica: StreamingReplica): Promise<TestDatabase> {
  await withClient(replica.primaryUrl, ensureAppRole);
  const database = await createDatabaseOn(replica.primaryUrl, 'stance_replica_test');
  await replica.untilOnStandby(database.url);
  return { ...database, appUrl: asAppRole(database.url) };
}

/**
 * Until the standby has replayed what the primary wrote so far, and a little more than
 * REPLICA_RETRY_MS has passed, so a test that pauses replay pauses a standby that is there and
 * settled. Paused right after start-up (one more migration was enough), the "stale" read came
 * back with the write in it: the pause had not held where the test assumed.
 */
async function untilCaughtUp(replica: StreamingReplica): Promise<void> {
  const lsn = await withClient(replica.primaryUrl, async (client) => {
    const { rows } = await client.query<{ lsn: string }>('SELECT pg_current_wal_lsn()::text AS lsn');
    return rows[0].lsn;
  });
  await withClient(replica.onStandby(replica.primaryUrl), async (client) => {
    for (let tries = 0; tries < 500; tries++) {
      const { rows } = await client.query<{ done: boolean }>('SELECT pg_last_wal_replay_lsn() >= $1::pg_lsn AS done', [
        lsn,
      ]);
      if (rows[0].done) return;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    throw new Error(`the standby did not replay up to ${lsn}`);
  });
  await new Promise((resolve) => setTimeout(resolve, REPLICA_RETRY_MS + 100));
}

/**
 * Read replicas (issue 21, DESIGN section 10 stage 2) on a real streaming replica: a primary and
 * a hot standby made with pg_basebackup, started for this file (src/database/streaming-replica.ts).
 * The app reads the standby (DATABASE_READ_URL); replay on the standby is paused to make it lag.
 */
describe('reads on a streaming replica', () => {
  let replica: StreamingReplica;
  let database: TestDatabase;
  let t: TestApp;
  let topic: string;

  beforeAll(async () => {
    replica = await startStreamingReplica();
    database = await replicatedDatabase(replica);
    t = await startAppOn(database, { DATABASE_READ_URL: replica.onStandby(database.appUrl) });
    await createCatalog(t);
    topic = await createTopic(t);
  }, 120_000);
  afterAll(async () => {
    await t?.close();
    await replica?.stop();
  });
  afterEach(async () => {
    await replica.resumeReplay();
  });

  const write = async (overrides: Record<string, unknown> = {}) => {
    const response = await request(t.http)
      .post('/events')
      .set(t.auth)
      .send(claim({ topic, ...overrides }));
    expect(response.status).toBe(201);
    return { id: (response.body as { event: { id: string } }).event.id, position: positionOf(response) };
  };

  it('reads its own write with minPosition: the event, the position and the list all hold it', async () => {
    const written = await write();
    const one = await request(t.http).get(`/events/${written.id}`).query({ minPosition: written.position });
    expect(one.status).toBe(200);
    expect(positionOf(one)).toBeGreaterThanOrEqual(written.position);
    const list = await request(t.http).get('/events').query({ topic, minPosition: written.position });
    expect((list.body as { events: { id: string }[] }).events.map((e) => e.id)).toContain(written.id);
    const positions = await request(t.http)
      .get(`/topics/${topic}/positions`)
      .query({ at: '2007-06-08', minPosition: written.position });
    expect(positions.status).toBe(200);
    expect(JSON.stringify(positions.body)).toContain(written.id);
    // The position token as the write's header gave it, sent back as a header.
    const byHeader = await request(t.http)
      .get(`/events/${written.id}`)
      .set(LOG_POSITION_HEADER, String(written.position));
    expect(byHeader.status).toBe(200);
  });

  it('reads the replica, stale while it lags, and falls back to the primary for minPosition; a client carrying Log-Position never goes back', async () => {
    await untilCaughtUp(replica);
    await replica.pauseReplay();
    // A stance that moves Russia's (a restatement is no change: /changes would not name it)
    const written = await write({ payload: { item: 'us-third-site', stance: 'supports' } });
    // Without minPosition: the lagging standby answers, without the write, and says how far it reflects.
    const stale = await request(t.http).get(`/events/${written.id}`);
    expect(stale.status).toBe(404);
    expect(positionOf(stale)).toBeLessThan(written.position);
    // With it: the standby does not get there while paused, so after the wait the primary answers.
    const fresh = await request(t.http).get(`/events/${written.id}`).query({ minPosition: written.position });
    expect(fresh.status).toBe(200);
    const seen = positionOf(fresh);
    expect(seen).toBeGreaterThanOrEqual(written.position);
    // A client that sends back the position it was answered reads no older log, on every read route.
    let carried = seen;
    for (const path of [
      `/events/${written.id}`,
      `/events?topic=${topic}`,
      `/topics/${topic}/positions?at=2007-06-08`,
      `/parties/russia/positions?at=2007-06-08`,
      `/parties/russia/changes?from=2007-01-01&to=2007-12-31`,
      `/topics/${topic}/replay`,
      '/topics',
      '/log',
    ]) {
      const response = await request(t.http).get(path).set(LOG_POSITION_HEADER, String(carried));
      expect([path, response.status]).toEqual([path, 200]);
      expect(positionOf(response)).toBeGreaterThanOrEqual(carried);
      expect(JSON.stringify(response.body)).toContain(path === '/topics' ? topic : written.id);
      carried = positionOf(response);
    }
    // Replay resumed: the standby catches up and answers minPosition itself, never below it.
    await replica.resumeReplay();
    const caughtUp = await request(t.http).get(`/events/${written.id}`).query({ minPosition: carried });
    expect(caughtUp.status).toBe(200);
    expect(positionOf(caughtUp)).toBeGreaterThanOrEqual(carried);
  });

  it('answers in one snapshot: every event up to its Log-Position and none after, while writes go on', async () => {
    // Read before the rows in their own snapshots, the position let an answer hold events written
    // in between, which a next read on the standby, at that position, would not show yet.
    const busy = await createTopic(t);
    let writing = true;
    const writers = Array.from({ length: 4 }, async () => {
      for (let n = 0; writing && n < 60; n++) {
        const response = await request(t.http)
          .post('/events')
          .set(t.auth)
          .send(claim({ topic: busy }));
        expect(response.status).toBe(201);
      }
    });
    const answers: { position: number; listed: number[] }[] = [];
    for (let i = 0; i < 40; i++) {
      // Every other read asks for the primary's head, so both databases answer under the writes.
      const head = i % 2 ? { minPosition: (await write()).position } : {};
      const response = await request(t.http)
        .get('/events')
        .query({ topic: busy, limit: 500, ...head });
      expect(response.status).toBe(200);
      const events = (response.body as { events: { position: number }[] }).events;
      answers.push({ position: positionOf(response), listed: events.map((e) => e.position) });
    }
    writing = false;
    await Promise.all(writers);
    const stored = await withClient(database.url, async (client) =>
      (
        await client.query<{ position: string }>('SELECT position FROM events WHERE stream = $1 ORDER BY position', [
          busy,
        ])
      ).rows.map((r) => Number(r.position)),
    );
    expect(stored.length).toBeLessThan(500); // every answer listed the whole topic
    for (const { position, listed } of answers)
      expect({ position, listed }).toEqual({ position, listed: stored.filter((p) => p <= position) });
  });

  it('refuses a malformed minPosition or Log-Position with a 400 naming it', async () => {
    for (const bad of ['-1', '1.5', 'abc', '99999999999999999999']) {
      const response = await request(t.http).get('/events').query({ minPosition: bad });
      expect(response.status).toBe(400);
      expect(response.body).toMatchObject({ errors: [{ field: 'minPosition' }] });
    }
    const twice = await request(t.http).get('/events?minPosition=1&minPosition=2');
    expect(twice.status).toBe(400);
    const header = await request(t.http).get('/topics').set(LOG_POSITION_HEADER, 'latest');
    expect(header.status).toBe(400);
    expect(header.body).toMatchObject({ errors: [{ field: LOG_POSITION_HEADER }] });
  });

  it('reads the primary while the standby cannot be reached, from the start on', async () => {
    const nowhere = new URL(replica.onStandby(database.appUrl));
    nowhere.port = String(await freePort());
    const unreached = await startAppOn(database, { DATABASE_READ_URL: nowhere.toString() });
    try {
      const written = (await record(unreached, claim({ topic }))) as { event: { id: string; position: number } };
      const read = await request(unreached.http).get(`/events/${written.event.id}`);
      expect(read.status).toBe(200);
      expect(positionOf(read)).toBe(written.event.position);
    } finally {
      await unreached.app.close();
    }
  });

  it('reads the primary without DATABASE_READ_URL, answering its last position', async () => {
    const primaryOnly = await startAppOn(database);
    try {
      await replica.pauseReplay(); // whatever the standby does, this app never asks it
      const written = await record(primaryOnly, claim({ topic }));
      const read = await request(primaryOnly.http).get(`/events/${(written as { event: { id: string } }).event.id}`);
      expect(read.status).toBe(200);
      expect(positionOf(read)).toBe((written as { event: { position: number } }).event.position);
    } finally {
      await primaryOnly.app.close(); // the database is dropped with `t`
    }
  });
});
