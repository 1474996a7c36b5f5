import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { withClient } from '../src/database/scratch-database.js';
import { LogChain } from '../src/event-store/log-chain.js';
import { claim, startCatalogApp, withoutKnownAt, withCards } from './support/scenario.js';
import type { TestApp } from './support/test-app.js';

const TOPICS = ['missile-defense-europe', 'cfe-treaty', 'inf-treaty', 'start-follow-on'];
const DAYS = [
  '2007-06-01',
  '2007-06-02',
  '2007-06-03',
  '2007-06-04',
  '2007-06-05',
  '2007-06-06',
  '2007-06-07',
  '2007-06-08',
];

/**
 * Requests that arrive together are written together (group commit, RecordEventHandler). Each
 * must still get the answer it would get alone, and the log and the projection must be what
 * the same requests written one by one would give.
 */
describe('concurrent POST /events, written together', () => {
  // A database per test: the first checks every stream and transaction in the log.
  let t: TestApp;
  beforeEach(async () => {
    t = await startCatalogApp();
    for (const slug of [...TOPICS.slice(2), 'g8-climate'])
      await request(t.http).post('/topics').set(t.auth).send({ slug, title: slug }).expect(201);
  });
  afterEach(() => t.close());

  it('answers each request as if it were alone, and loses, duplicates or skips nothing', async () => {
    const statements = TOPICS.flatMap((topic) =>
      DAYS.map((occurred, i) =>
        claim({
          id: randomUUID(),
          topic,
          occurred,
          actor: i % 2 ? 'russia' : 'united-states',
          targets: [i % 2 ? 'united-states' : 'russia'],
          payload: { stance: i % 3 ? 'opposes' : 'supports', reason: `reason ${i}` },
        }),
      ),
    );
    const retried = claim({
      id: randomUUID(),
      topic: 'cfe-treaty',
      occurred: '2007-06-08',
      actor: 'poland',
      targets: [],
      payload: { stance: 'supports' },
    });
    const contested = randomUUID();
    const sent = [
      ...statements.map((body) => ({ body, expect: [201] })),
      { body: retried, expect: [201, 200] },
      { body: retried, expect: [201, 200] },
      // The same id with two payloads: whichever is written first wins, the other is refused.
      {
        body: claim({
          id: contested,
          topic: 'inf-treaty',
          occurred: '2007-06-08',
          summary: 'first',
          payload: { stance: 'opposes' },
        }),
        expect: [201, 409],
      },
      {
        body: claim({
          id: contested,
          topic: 'inf-treaty',
          occurred: '2007-06-08',
          summary: 'second',
          payload: { stance: 'opposes' },
        }),
        expect: [201, 409],
      },
      // Refused by the domain (no such proposal) and by a stale version; neither stops the others.
      { body: claim({ id: randomUUID(), type: 'agreement', refersTo: randomUUID(), payload: {} }), expect: [422] },
      { body: claim({ id: randomUUID(), topic: 'start-follow-on', expectedVersion: 99 }), expect: [409] },
    ];
    // The statements ask for the touched parties' positions in their answers; the others do not.
    const responses = await Promise.all(
      sent.map(({ body }, i) =>
        request(t.http)
          .post(i < statements.length ? '/events?include=positions' : '/events')
          .set(t.auth)
          .send(body),
      ),
    );
    // Each status is one the request could get alone; the body says why if not.
    responses.forEach((response, i) =>
      expect([i, sent[i].expect.includes(response.status) ? 'ok' : response.body]).toEqual([i, 'ok']),
    );

    const [first, second] = responses.slice(statements.length, statements.length + 2);
    expect([first.status, second.status].sort()).toEqual([200, 201]);
    expect(first.body.event.position).toBe(second.body.event.position);
    expect(first.body).not.toHaveProperty('positions'); // not asked for
    expect(first.body).not.toHaveProperty('evidence');
    expect(
      responses
        .slice(statements.length + 2, statements.length + 4)
        .map((r) => r.status)
        .sort(),
    ).toEqual([201, 409]);
    expect(responses[statements.length + 4].body.errors[0]).toMatchObject({ field: 'refersTo' });
    const stale = responses[statements.length + 5].body;
    expect(stale.expectedVersion).toBe(99);
    expect(stale.currentVersion).toBeLessThanOrEqual(8); // the version of the moment it was decided

    // Each answer holds its own event, the parties it touches, and (asked for) their positions.
    statements.forEach((body, i) => {
      const { id, topic, actor, targets } = body as { id: string; topic: string; actor: string; targets: string[] };
      const answer = responses[i].body;
      expect(answer.event).toMatchObject({ id, topic, actor });
      expect(answer.parties).toEqual([actor, ...targets]);
      expect(answer.positions.map((p: { topic: string; party: string }) => `${p.topic}/${p.party}`).sort()).toEqual(
        [actor, ...targets].map((party) => `${topic}/${party}`).sort(),
      );
    });

    // Every topic's stream has versions 1..n with no gap or duplicate, and each stored id once.
    const streams: { stream: string; versions: number[]; ids: number; distinct: number }[] = await t.dataSource.query(
      `SELECT stream, array_agg(version ORDER BY version) AS versions, count(id)::int AS ids, count(DISTINCT id)::int AS distinct
         FROM events GROUP BY stream ORDER BY stream`,
    );
    const written = { 'missile-defense-europe': 8, 'cfe-treaty': 9, 'inf-treaty': 9, 'start-follow-on': 8 };
    expect(streams.map((s) => [s.stream, s.versions])).toEqual(
      Object.entries(written)
        .sort()
        .map(([stream, n]) => [stream, Array.from({ length: n }, (_, i) => i + 1)]),
    );
    streams.forEach((s) => expect(s.ids).toBe(s.distinct));

    // Requests did share transactions: some transaction wrote events of several topics.
    const [{ shared }] = await t.dataSource.query(
      'SELECT count(*)::int AS shared FROM (SELECT transaction_id FROM events GROUP BY transaction_id HAVING count(DISTINCT stream) > 1) AS s',
    );
    expect(shared).toBeGreaterThan(0);

    // The log's hash chain links every row to the one before it, though writers raced.
    const chain = await t.app.get(LogChain).verify();
    expect(chain.broken).toBeUndefined();
    expect(chain.checked).toBe(Object.values(written).reduce((a, b) => a + b));

    // And the projection is what a fold of each topic's whole log gives.
    for (const topic of TOPICS) {
      const stored = await request(t.http).get(`/topics/${topic}/positions?at=2007-06-30`).expect(200);
      const folded = await request(t.http)
        .get(`/topics/${topic}/positions?at=2007-06-30&knownAt=2030-01-01`)
        .expect(200);
      expect(withoutKnownAt(withCards(stored.body))).toEqual(withoutKnownAt(withCards(folded.body)));
      expect(withCards(stored.body).length).toBeGreaterThan(0);
    }
  });

  it('writes the others again alone when a shared transaction fails, so only the request at fault fails', async () => {
    // A fault the domain cannot foresee: the database refuses one row (it goes with this test's
    // database). The owner sets it up: the app's role may not add triggers to the log.
    await withClient(t.database.url, (owner) =>
      owner.query(`
      CREATE FUNCTION refuse_marked_event() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF NEW.data->>'summary' = 'refused by the database' THEN RAISE EXCEPTION 'refused for the test'; END IF;
        RETURN NEW;
      END $$;
      CREATE TRIGGER refuse_marked_event BEFORE INSERT ON events FOR EACH ROW EXECUTE FUNCTION refuse_marked_event()`),
    );
    // Two requests take both writers and wait on their topics, locked here; the three after them
    // queue up meanwhile, so they are written together once the lock goes.
    const lock = t.dataSource.createQueryRunner();
    await lock.startTransaction();
    try {
      const [blocked, together] = [TOPICS.slice(0, 2), [...TOPICS.slice(2), 'g8-climate']];
      await lock.query('SELECT pg_advisory_xact_lock(73111, hashtext(s)) FROM unnest($1::text[]) AS s', [blocked]);
      const post = (topic: string, summary?: string) =>
        // .then sends it now
        request(t.http)
          .post('/events')
          .set(t.auth)
          .send(
            claim({
              id: randomUUID(),
              topic,
              occurred: '2007-06-08',
              payload: { stance: 'neutral' },
              ...(summary ? { summary } : {}),
            }),
          )
          .then((response) => response);
      const [{ before }] = await t.dataSource.query('SELECT count(*)::int AS before FROM events');
      const first = blocked.map((topic) => post(topic));
      await new Promise((resolve) => setTimeout(resolve, 150));
      const queued = together.map((topic, i) => post(topic, i === 1 ? 'refused by the database' : undefined));
      await new Promise((resolve) => setTimeout(resolve, 150));
      await lock.commitTransaction();
      const responses = await Promise.all([...first, ...queued]);
      expect(responses.map((r) => r.status)).toEqual([201, 201, 201, 500, 201]);
      const [{ after }] = await t.dataSource.query('SELECT count(*)::int AS after FROM events');
      expect(after - before).toBe(4);
    } finally {
      if (lock.isTransactionActive) await lock.rollbackTransaction();
      await lock.release();
    }
  });
});
