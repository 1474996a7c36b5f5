import type { ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { freePort, withClient } from '../src/database/scratch-database.js';
import { PositionProjection } from '../src/diplomacy/projection/position.projection.js';
import { LogChain } from '../src/event-store/log-chain.js';
import { projectionRows } from './support/projection-rows.js';
import { claim } from './support/scenario.js';
import { buildServer, databaseForProcesses, startServerProcess, stopServerProcess } from './support/server-process.js';
import { startAppOn, TEST_TOKEN } from './support/test-app.js';
import type { TestDatabase } from './support/test-database.js';

const WRITERS = 16;
/** Every this many claims, a writer sends the one it just wrote again, to the other process. */
const RETRY_EVERY = 4;
/** How long the writers may take to reach each point of the run before the test gives up. */
const PHASE_LIMIT_MS = 60_000;
const TOPICS = ['missile-defense-europe'];

/** Resolves once `reached` holds (looked at every 20 ms); fails after PHASE_LIMIT_MS. */
async function until(reached: () => boolean): Promise<void> {
  for (const deadline = Date.now() + PHASE_LIMIT_MS; !reached();) {
    if (Date.now() > deadline) throw new Error(`the writers did not get there in ${PHASE_LIMIT_MS} ms`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** What the tests read of an answer to POST /events. */
interface Answer {
  readonly event?: { readonly id: string; readonly position: number };
}
interface LogPage {
  readonly events: readonly { readonly id: string; readonly position: number }[];
  readonly next: number;
}

/**
 * The 16-writer no-loss test of one process (concurrent-writes, crash) with the writers spread
 * over two server processes on one database (issue 21), one of them killed with SIGKILL mid-run
 * while the other keeps writing: every answered write is in the log once, at the position it was
 * told; a write sent again with its id, to either process, is recorded once; streams have no gap
 * or duplicate; a reader following GET /log on the survivor the whole time skipped no row that
 * either process committed; the hash chain holds; and the projection is what a rebuild writes.
 */
describe('16 writers over two server processes, one killed mid-run', () => {
  let database: TestDatabase;
  let build: string;
  const servers: ChildProcess[] = [];

  beforeAll(async () => {
    build = buildServer('processes-writes-test-build');
    const shared = await databaseForProcesses();
    database = shared.database;
    TOPICS.push(shared.topic); // a second stream with the same items
  }, 180_000);
  afterAll(async () => {
    await Promise.all(servers.map(stopServerProcess));
    await database.drop();
  });

  it('loses, duplicates and skips nothing, and takes retries on either process', async () => {
    const [portA, portB] = [await freePort(), await freePort()];
    const [a, b] = [`http://127.0.0.1:${portA}`, `http://127.0.0.1:${portB}`];
    let victim = await startServerProcess(build, database, portA);
    const survivor = await startServerProcess(build, database, portB);
    servers.push(survivor);
    const post = async (server: string, body: Record<string, unknown>) => {
      const response = await fetch(`${server}/events`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${TEST_TOKEN}` },
        body: JSON.stringify(body),
      });
      const text = await response.text();
      return { status: response.status, text, body: JSON.parse(text) as Answer };
    };

    /** Where each answered write is, as its answer said. */
    const answered = new Map<string, number>();
    const unanswered: Record<string, unknown>[] = [];
    const refusals: string[] = [];
    const retries: { first: number; again: number; status: number }[] = [];
    let killed = false;
    let stopped = false;
    let answeredAfterTheKill = 0;
    const retriedBy = Array.from({ length: WRITERS }, () => 0);
    const writer = async (w: number) => {
      const onVictim = w % 2 === 0;
      const [server, other] = onVictim ? [a, b] : [b, a];
      for (let n = 0; onVictim ? !killed : !stopped; n++) {
        const body = claim({
          id: randomUUID(),
          topic: TOPICS[(w + n) % TOPICS.length],
          actor: w % 4 < 2 ? 'russia' : 'united-states',
          targets: [w % 4 < 2 ? 'united-states' : 'russia'],
          occurred: `2007-06-${String(1 + (n % 28)).padStart(2, '0')}`,
          summary: `Writer ${w}, claim ${n}.`,
          source: { publisher: 'Wire', title: `Report ${w}.${n}`, publishedAt: '2007-07-01' },
        });
        let answer;
        try {
          answer = await post(server, body);
        } catch {
          unanswered.push(body); // the connection died with the process: the client cannot know
          return;
        }
        if (answer.status !== 201) {
          refusals.push(`${answer.status} ${answer.text}`);
          continue;
        }
        answered.set(body.id as string, answer.body.event!.position);
        if (killed) answeredAfterTheKill++;
        if (n % RETRY_EVERY !== RETRY_EVERY - 1) continue;
        // The client did not hear the answer, say, and sends the write again, to the other process while it lives.
        try {
          const again = await post(killed ? server : other, body);
          retries.push({ first: answer.body.event!.position, again: again.body.event!.position, status: again.status });
          retriedBy[w]++;
        } catch {
          // The other process died under the retry: the first answer stands.
        }
      }
    };

    // A reader follows the log on the survivor the whole time, page by page from where it stood.
    const followed: number[] = [];
    const follow = async (until: () => boolean) => {
      for (let after = 0; ;) {
        const page = (await (await fetch(`${b}/log?after=${after}&limit=1000`)).json()) as LogPage;
        followed.push(...page.events.map((e) => e.position));
        if (page.events.length === 0 && until()) return;
        after = page.next;
        if (page.events.length === 0) await new Promise((r) => setTimeout(r, 20));
      }
    };
    // Done once every write is in and the reader has seen the last answered one (or PHASE_LIMIT_MS
    // after: the expectations below then say what it missed). An empty page alone does not say so:
    // the log holds back a committed row while a transaction that began before it is still open
    // (gap-safe reads), on either process, and the restarted one writes at start too.
    const finished: { at?: number } = {};
    const following = follow(
      () =>
        finished.at !== undefined &&
        (followed.includes(Math.max(...answered.values())) || Date.now() > finished.at + PHASE_LIMIT_MS),
    );
    following.catch(() => undefined); // awaited below; a failure before then must not go unhandled

    const writing = Array.from({ length: WRITERS }, (_, w) => writer(w));
    try {
      // The kill comes once every writer has written and sent a write again (so both processes took
      // writes and retries); the survivor's writers then write as many again alone.
      await until(() => retriedBy.every((n) => n > 0));
      killed = true;
      victim.kill('SIGKILL');
      await until(() => answeredAfterTheKill >= WRITERS);
    } finally {
      killed = stopped = true;
      await Promise.all(writing);
    }

    expect(refusals).toEqual([]);
    expect(answered.size).toBeGreaterThan(WRITERS);
    expect(unanswered.length).toBeGreaterThan(0); // writes were in flight on the killed process
    expect(answeredAfterTheKill).toBeGreaterThanOrEqual(WRITERS); // the survivor wrote on alone
    expect(retries.length).toBeGreaterThanOrEqual(WRITERS);
    for (const retry of retries) expect(retry).toEqual({ first: retry.first, again: retry.first, status: 200 });

    victim = await startServerProcess(build, database, portA);
    servers.push(victim);
    // What the dead process never answered can be sent again with its id, to either process.
    for (const [i, body] of unanswered.entries()) {
      const again = await post(i % 2 ? a : b, body);
      expect([200, 201]).toContain(again.status);
      answered.set(body.id as string, again.body.event!.position);
    }
    finished.at = Date.now();
    await following;

    await withClient(database.url, async (client) => {
      // Every answered write is in the log once, at the position its answer gave; nothing else is.
      const { rows } = await client.query<{ id: string; position: string }>(
        'SELECT id, position FROM events ORDER BY position',
      );
      expect(new Map(rows.map((r) => [r.id, Number(r.position)]))).toEqual(answered);
      expect(rows).toHaveLength(answered.size);
      // The reader on the survivor saw every committed row once, in position order, across the crash.
      expect(followed).toEqual(rows.map((r) => Number(r.position)));
      const { rows: streams } = await client.query<{ versions: number[] }>(
        'SELECT array_agg(version ORDER BY version) AS versions FROM events GROUP BY stream',
      );
      expect(streams).toHaveLength(TOPICS.length);
      for (const { versions } of streams) expect(versions).toEqual(versions.map((_, i) => i + 1));
    });

    await Promise.all(servers.splice(0).map(stopServerProcess));
    const reader = await startAppOn(database);
    try {
      // The hash chain links every row to the one before it, though two processes wrote and one died.
      const chain = await reader.app.get(LogChain).verify();
      expect(chain.broken).toBeUndefined();
      expect(chain.checked).toBe(answered.size);
      // And the projection both processes kept inline is what a rebuild from the log writes.
      const written = await projectionRows(reader.dataSource);
      expect(written.states).toHaveLength(TOPICS.length);
      await reader.app.get(PositionProjection).rebuildAll();
      expect(await projectionRows(reader.dataSource)).toEqual(written);
    } finally {
      await reader.app.close();
    }
  });
});
