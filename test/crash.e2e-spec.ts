import { randomUUID } from 'node:crypto';
import { freePort, withClient } from '../src/database/scratch-database.js';
import { LogChain } from '../src/event-store/log-chain.js';
import { claim, withCards, withoutKnownAt } from './support/scenario.js';
import { startAppOn, TEST_TOKEN } from './support/test-app.js';
import type { TestDatabase } from './support/test-database.js';
import { buildServer, databaseForProcesses, startServerProcess } from './support/server-process.js';

const WRITERS = 16;
const TOPICS = ['missile-defense-europe'];
let BUILD = '';
const startServer = (database: TestDatabase, port: number) => startServerProcess(BUILD, database, port);

/**
 * A server killed with SIGKILL while 16 writers post (issue 16: this must keep holding): every
 * answered write is in the log, every unanswered one can be sent again with the same id and is
 * then recorded once, streams have no gap or duplicate, and the projection is what a fold of the
 * log gives.
 */
describe('a server killed while 16 writers write', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    BUILD = buildServer('crash-test-build');
    const shared = await databaseForProcesses();
    database = shared.database;
    TOPICS.push(shared.topic); // a second stream with the same items
  }, 120_000);
  afterAll(() => database.drop());

  it('loses, duplicates and skips nothing, and takes retries of unanswered writes', async () => {
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    const post = (body: Record<string, unknown>) =>
      fetch(`${url}/events`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${TEST_TOKEN}` },
        body: JSON.stringify(body),
      });
    let server = await startServer(database, port);
    const answered = new Map<string, number>();
    const unanswered: Record<string, unknown>[] = [];
    const refusals: string[] = [];
    let killed = false;
    const writer = async (w: number) => {
      for (let n = 0; !killed; n++) {
        const body = claim({
          id: randomUUID(),
          topic: TOPICS[(w + n) % TOPICS.length],
          actor: w % 2 ? 'russia' : 'united-states',
          targets: [w % 2 ? 'united-states' : 'russia'],
          occurred: `2007-06-${String(1 + (n % 28)).padStart(2, '0')}`,
          summary: `Writer ${w}, claim ${n}.`,
          source: { publisher: 'Wire', title: `Report ${w}.${n}`, publishedAt: '2007-07-01' },
        });
        try {
          const res = await post(body);
          const text = await res.text();
          answered.set(body.id as string, res.status);
          if (res.status !== 201) refusals.push(`${res.status} ${text}`);
        } catch {
          unanswered.push(body); // the connection died with the server: the client cannot know
          return;
        }
      }
    };
    const writing = Array.from({ length: WRITERS }, (_, w) => writer(w));
    await new Promise((r) => setTimeout(r, 1500));
    killed = true;
    server.kill('SIGKILL');
    await Promise.all(writing);
    expect(refusals).toEqual([]);
    expect(answered.size).toBeGreaterThan(WRITERS);
    expect(unanswered.length).toBeGreaterThan(0); // writes were in flight when it died

    server = await startServer(database, port);
    try {
      // What the dead server answered is there; what it did not can be sent again, with its id.
      for (const body of unanswered) expect([200, 201]).toContain((await post(body)).status);
      const ids = [...answered.keys(), ...unanswered.map((b) => b.id as string)];
      await withClient(database.url, async (client) => {
        const { rows } = await client.query<{ id: string }>('SELECT id FROM events');
        expect(rows.map((r) => r.id).sort()).toEqual([...ids].sort());
        const { rows: streams } = await client.query<{ stream: string; versions: number[] }>(
          'SELECT stream, array_agg(version ORDER BY version) AS versions FROM events GROUP BY stream',
        );
        for (const { versions } of streams) expect(versions).toEqual(versions.map((_, i) => i + 1));
        for (const topic of TOPICS) {
          const projected = await fetch(`${url}/topics/${topic}/positions?at=2007-06-30`).then((r) => r.json());
          const folded = await fetch(`${url}/topics/${topic}/positions?at=2007-06-30&knownAt=2030-01-01`).then((r) =>
            r.json(),
          );
          expect(withoutKnownAt(withCards(projected))).toEqual(withoutKnownAt(withCards(folded)));
        }
      });
      // The hash chain links every row to the one before it, across the crash.
      const reader = await startAppOn(database);
      try {
        const chain = await reader.app.get(LogChain).verify();
        expect(chain.broken).toBeUndefined();
        expect(chain.checked).toBe(ids.length);
      } finally {
        await reader.app.close();
      }
    } finally {
      server.kill('SIGKILL');
    }
  });
});
