import type { ChildProcess } from 'node:child_process';
import { spawnSync } from 'node:child_process';
import { freePort } from '../src/database/scratch-database.js';
import { LOG_POSITION_HEADER } from '../src/http/log-position.js';
import { claim } from './support/scenario.js';
import {
  buildServer,
  databaseForProcesses,
  type EventStream,
  openEventStream,
  type SentEvent,
  startServerProcess,
  stopServerProcess,
} from './support/server-process.js';
import { TEST_TOKEN } from './support/test-app.js';
import type { TestDatabase } from './support/test-database.js';

/** What the tests read of an answer: a written event's id and log position. */
interface Answer {
  readonly event: { readonly id: string; readonly position: number };
}

const auth = { Authorization: `Bearer ${TEST_TOKEN}`, 'Content-Type': 'application/json' };
const steps = (events: readonly SentEvent[]) => events.filter((e) => e.event === 'step');
const stepIds = (events: readonly SentEvent[]) =>
  steps(events).map((e) => (JSON.parse(e.data) as { event: { id: string } }).event.id);

/**
 * Two server processes on one database (issue 21): each keeps its own catalog and caches, and
 * hears what the other changed from the database (NOTIFY on the log and the catalog, polling
 * as the fallback). A write on one is read on the other at once; a catalog change on one is seen
 * on the other within a second; a stream on one carries the events written on the other, with
 * ids that are global log positions, and a stream resumed with Last-Event-ID gets only what it missed.
 */
describe('two server processes on one database', () => {
  let database: TestDatabase;
  let build: string;
  let topic: string;
  const servers: ChildProcess[] = [];
  let a: string;
  let b: string;

  beforeAll(async () => {
    build = buildServer('processes-test-build');
    ({ database, topic } = await databaseForProcesses());
    const [portA, portB] = [await freePort(), await freePort()];
    servers.push(await startServerProcess(build, database, portA), await startServerProcess(build, database, portB));
    [a, b] = [`http://127.0.0.1:${portA}`, `http://127.0.0.1:${portB}`];
  }, 180_000);
  afterAll(async () => {
    await Promise.all(servers.map(stopServerProcess));
    await database.drop();
  });

  const post = async (server: string, path: string, body: Record<string, unknown>) => {
    const response = await fetch(`${server}${path}`, { method: 'POST', headers: auth, body: JSON.stringify(body) });
    return { status: response.status, headers: response.headers, body: (await response.json()) as Answer };
  };
  /** Asks `server` every 20 ms until `ok` holds; returns how long it took. */
  const within = async (ms: number, ok: () => Promise<boolean>) => {
    const started = Date.now();
    while (!(await ok())) {
      if (Date.now() - started > ms) throw new Error(`not seen within ${ms} ms`);
      await new Promise((r) => setTimeout(r, 20));
    }
    return Date.now() - started;
  };

  it('answers every write with its log position, and the other process reads the write at once', async () => {
    const written = await post(a, '/events', claim({ topic }));
    expect(written.status).toBe(201);
    const position = Number(written.headers.get(LOG_POSITION_HEADER));
    expect(position).toBe(written.body.event.position);
    expect(position).toBeGreaterThan(0);
    const read = await fetch(`${b}/events/${written.body.event.id}`);
    expect(read.status).toBe(200);
    const positions = (await (await fetch(`${b}/parties/russia/positions?topic=${topic}&at=2007-06-08`)).json()) as {
      positions: { items: { item: string; stance: string }[] }[];
    };
    expect(positions.positions[0].items).toContainEqual(
      expect.objectContaining({ item: 'us-third-site', stance: 'opposes' }),
    );
  });

  it("sees the other process's catalog changes within a second: a party, and an item a proposal added", async () => {
    // B holds its catalog in memory: it has read it already.
    expect((await fetch(`${b}/parties/ukraine`)).status).toBe(404);
    expect((await post(a, '/parties', { slug: 'ukraine', name: 'Ukraine', kind: 'state' })).status).toBe(201);
    await within(1000, async () => (await fetch(`${b}/parties/ukraine`)).status === 200);

    const proposal = await post(
      a,
      '/events',
      claim({
        topic,
        type: 'proposal',
        actor: 'united-states',
        targets: ['russia'],
        speaker: { name: 'Robert Gates' },
        summary: 'The US proposes a joint data center.',
        payload: {
          item: 'joint-data-center',
          itemTitle: 'a joint data center in Moscow',
          terms: 'shared early warning',
        },
      }),
    );
    expect(proposal.status).toBe(201);
    // B takes a statement on the new item (its catalog check knows the item) within a second.
    await within(1000, async () => {
      const statement = await post(
        b,
        '/events',
        claim({ topic, payload: { item: 'joint-data-center', stance: 'supports' } }),
      );
      return statement.status === 201;
    });
  });

  it('carries, on a stream of one process, the events written on the other, with increasing global ids', async () => {
    const stream = await openEventStream(`${b}/topics/${topic}/replay`);
    try {
      expect(stream.status).toBe(200);
      const caughtUp = (await stream.until((events) => events.some((e) => e.event === 'caught-up'))).find(
        (e) => e.event === 'caught-up',
      )!;
      const replayed = steps(stream.events).length;
      // The replay's steps carry no id (topic order is not log order); caught-up carries where they reach.
      expect(steps(stream.events).every((e) => e.id === undefined)).toBe(true);
      expect(Number(caughtUp.id)).toBe((JSON.parse(caughtUp.data) as { lastPosition: number }).lastPosition);
      const written = [];
      for (const day of ['2007-06-01', '2007-06-02', '2007-06-03']) {
        const answer = await post(a, '/events', claim({ topic, occurred: day }));
        expect(answer).toMatchObject({ status: 201 });
        written.push(answer.body.event);
      }
      await stream.until((events) => steps(events).length === replayed + 3, 5000);
      const live = steps(stream.events).slice(replayed);
      expect(stepIds(live)).toEqual(written.map((e) => e.id));
      expect(live.map((e) => Number(e.id))).toEqual(written.map((e) => e.position));
    } finally {
      stream.close();
    }
  });

  it('resumes a stream from Last-Event-ID with exactly the events it missed, in log order', async () => {
    const first = await openEventStream(`${b}/topics/${topic}/replay`);
    const caughtUp = (await first.until((events) => events.some((e) => e.event === 'caught-up'))).find(
      (e) => e.event === 'caught-up',
    )!;
    first.close();
    // Missed while disconnected: written on A, one of them reported late (earlier in topic order).
    const missed = [];
    for (const occurred of ['2007-06-05', '2007-05-01', '2007-06-06']) {
      const answer = await post(a, '/events', claim({ topic, occurred }));
      expect(answer).toMatchObject({ status: 201 });
      missed.push(answer.body.event);
    }
    let resumed: EventStream | undefined;
    try {
      resumed = await openEventStream(`${b}/topics/${topic}/replay`, { 'Last-Event-ID': caughtUp.id! });
      expect(resumed.status).toBe(200);
      await resumed.until((events) => steps(events).length === 3, 5000);
      expect(resumed.events[0]).toMatchObject({ event: 'resumed', id: caughtUp.id });
      expect(stepIds(resumed.events)).toEqual(missed.map((e) => e.id));
      expect(steps(resumed.events).map((e) => Number(e.id))).toEqual(missed.map((e) => e.position));
      // Nothing else comes: no replay of what the client had.
      await new Promise((r) => setTimeout(r, 300));
      expect(steps(resumed.events)).toHaveLength(3);
    } finally {
      resumed?.close();
    }
  });

  it('refuses a Last-Event-ID that is no log position, or past the end of the log, naming the header', async () => {
    for (const id of ['abc', '-1', '99999999']) {
      const response = await fetch(`${b}/topics/${topic}/replay`, {
        headers: { Accept: 'text/event-stream', 'Last-Event-ID': id },
      });
      expect(response.status).toBe(400);
      expect(((await response.json()) as { message: string }).message).toMatch(/^Last-Event-ID: /);
    }
  });
});

/**
 * The command line as `npm run export` runs it, a process of its own on the built code: its
 * module graph resolves (an export that needed the catalog had failed to start at all, which
 * only the bench's export run showed), it exports, and it fails naming a bad flag.
 */
describe('the export command, run as a process', () => {
  let database: TestDatabase;
  let build: string;
  beforeAll(async () => {
    build = buildServer('cli-export-test-build');
    ({ database } = await databaseForProcesses());
  }, 180_000);
  afterAll(() => database.drop());

  const cli = (...args: string[]) =>
    spawnSync(process.execPath, [`${build}/src/cli/main.js`, 'export', ...args], {
      env: { ...process.env, DATABASE_URL: database.url, LOG_LEVEL: 'warn' },
      encoding: 'utf8',
    });

  it('exports the log, and exits 1 naming an unknown party', () => {
    const ok = cli('--format', 'stance', '--party', 'russia');
    expect({ status: ok.status, stderr: ok.status === 0 ? '' : ok.stderr }).toEqual({ status: 0, stderr: '' });
    const bad = cli('--party', 'nobody');
    expect(bad.status).toBe(1);
    expect(bad.stderr).toContain('--party: unknown party "nobody"');
    expect(bad.stdout).toBe('');
  });
});
