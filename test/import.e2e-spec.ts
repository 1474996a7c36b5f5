import { randomUUID } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { loadCatalog } from '../bench/database.js';
import { generate } from '../bench/generate.js';
import { CatalogService } from '../src/catalog/catalog.service.js';
import { importOutcome } from '../src/cli/import-outcome.js';
import { withClient } from '../src/database/scratch-database.js';
import { BulkImporter } from '../src/diplomacy/import/bulk-import.service.js';
import { LogChain } from '../src/event-store/log-chain.js';
import { PositionProjection } from '../src/diplomacy/projection/position.projection.js';
import { projectionRows } from './support/projection-rows.js';
import { claim, createTopic, startCatalogApp, withCards } from './support/scenario.js';
import { startTestApp, type TestApp } from './support/test-app.js';

describe('bulk import of JSON lines', () => {
  // The same file is imported in two tests: each on a database of its own.
  let t: TestApp;
  const file = join(mkdtempSync(join(tmpdir(), 'stance-import-')), 'events.jsonl');
  const proposal = randomUUID();

  beforeAll(() => {
    const lines = [
      JSON.stringify(
        claim({
          id: proposal,
          type: 'proposal',
          payload: { item: 'azerbaijan-radar', terms: 'data from the Gabala radar' },
        }),
      ),
      '{ not json',
      JSON.stringify(claim({ id: randomUUID(), actor: 'atlantis' })),
      JSON.stringify(
        claim({
          id: randomUUID(),
          type: 'rejection',
          actor: 'united-states',
          targets: ['russia'],
          refersTo: proposal,
          payload: { reason: 'complement only' },
          occurred: '2007-06-07',
        }),
      ),
      '',
      JSON.stringify(claim({ id: randomUUID(), occurred: '2007-02-30' })),
      JSON.stringify(
        claim({
          id: randomUUID(),
          topic: 'cfe-treaty',
          type: 'action',
          payload: { act: 'suspends its CFE participation' },
          occurred: '2007-06-07',
          cameo: '160',
        }),
      ),
      JSON.stringify(claim({ occurred: '2007-06-01' })), // no id: one is derived from the line
    ];
    writeFileSync(file, lines.join('\n') + '\n');
  });
  beforeEach(async () => {
    t = await startCatalogApp();
  });
  afterEach(() => t.close());

  it('records the good lines through the domain and reports the bad ones by line number', async () => {
    const report = await t.app.get(BulkImporter).importFile(file, { batchSize: 2 });
    expect(report.recorded).toBe(4);
    expect(report.bad.map((b) => b.line)).toEqual([2, 3, 6]);
    expect(report.bad[0].message).toBe('not valid JSON');
    expect(report.bad[1].message).toContain('actor: unknown party "atlantis"');
    expect(report.bad[2].message).toContain('occurred: "2007-02-30" is not a real calendar date');

    const positions = await request(t.http)
      .get('/parties/russia/positions?topic=missile-defense-europe&at=2007-06-08')
      .expect(200);
    expect(withCards(positions.body)[0].openProposals[0].responses[0]).toMatchObject({
      party: 'united-states',
      response: 'rejected',
    });
    const cfe = await request(t.http).get('/parties/russia/positions?topic=cfe-treaty&at=2007-06-08').expect(200);
    expect(withCards(cfe.body)[0].acts[0].description).toBe('suspends its CFE participation');
  });

  it('reads files with Windows line ends and multi-byte characters', async () => {
    const crlf = join(mkdtempSync(join(tmpdir(), 'stance-import-')), 'events.jsonl');
    const ids = [randomUUID(), randomUUID()];
    const lines = [
      JSON.stringify(claim({ id: ids[0], summary: 'Путин: «мы против» — Russia objects.', occurred: '2007-06-02' })),
      JSON.stringify(
        claim({
          id: ids[1],
          topic: 'cfe-treaty',
          type: 'action',
          payload: { act: 'suspends its CFE participation' },
          occurred: '2007-06-03',
          cameo: '160',
        }),
      ),
    ];
    writeFileSync(crlf, lines.join('\r\n') + '\r\n');
    const report = await t.app.get(BulkImporter).importFile(crlf);
    expect(report).toMatchObject({ lines: 2, recorded: 2, bad: [] });
    const stored = await request(t.http).get(`/events/${ids[0]}`).expect(200);
    expect(stored.body.summary).toBe('Путин: «мы против» — Russia objects.');
  });

  it('takes readable keys as POST /events does: refersTo by key, a taken key refused by line', async () => {
    const keyed = join(mkdtempSync(join(tmpdir(), 'stance-import-')), 'events.jsonl');
    const topic = await createTopic(t);
    const offer = randomUUID();
    const lines = [
      claim({
        id: offer,
        topic,
        key: 'gabala-offer',
        type: 'proposal',
        payload: { item: 'azerbaijan-radar', terms: 'data from the Gabala radar' },
      }),
      claim({
        id: randomUUID(),
        topic,
        type: 'rejection',
        actor: 'united-states',
        targets: ['russia'],
        refersTo: 'gabala-offer',
        payload: { reason: 'complement only' },
        occurred: '2007-06-08',
      }),
      claim({ id: randomUUID(), topic, key: 'gabala-offer', occurred: '2007-06-09' }),
      claim({ id: randomUUID(), topic, type: 'withdrawal', refersTo: 'no-such-key', payload: {} }),
    ];
    writeFileSync(keyed, lines.map((l) => JSON.stringify(l)).join('\n'));
    const report = await t.app.get(BulkImporter).importFile(keyed);
    expect(report.recorded).toBe(2);
    expect(report.bad).toEqual([
      { line: 3, message: expect.stringContaining(`already has an event with key "gabala-offer" (${offer})`) },
      { line: 4, message: expect.stringContaining('no event of topic') },
    ]);
    const byKey = await request(t.http).get(`/topics/${topic}/events/gabala-offer`).expect(200);
    expect(byKey.body.id).toBe(offer);
    const answers = await request(t.http).get(`/events?topic=${topic}&type=rejection`).expect(200);
    expect(answers.body.events[0].refersTo).toBe(offer);
  });

  it('decides each line as POST /events would: an item a retracted proposal named, and expectedVersion', async () => {
    // Given lines that propose a new item, retract that proposal, state a stance on the item, and
    // two lines that expect the topic at a version (the right one, then a stale one)
    const topic = await createTopic(t);
    const lines = join(mkdtempSync(join(tmpdir(), 'stance-import-')), 'events.jsonl');
    const plan = randomUUID();
    writeFileSync(
      lines,
      [
        claim({
          id: plan,
          topic,
          type: 'proposal',
          payload: { item: 'x-plan', itemTitle: 'The X plan', terms: 'a plan' },
        }),
        claim({ id: randomUUID(), topic, type: 'retraction', refersTo: plan, payload: { reason: 'not said' } }),
        claim({
          id: randomUUID(),
          topic,
          actor: 'united-states',
          targets: ['russia'],
          payload: { item: 'x-plan', stance: 'opposes' },
        }),
        { ...claim({ id: randomUUID(), topic, occurred: '2007-06-08' }), expectedVersion: 3 },
        { ...claim({ id: randomUUID(), topic, occurred: '2007-06-08' }), expectedVersion: 3 },
      ]
        .map((l) => JSON.stringify(l))
        .join('\n'),
    );
    // When they are imported
    const report = await t.app.get(BulkImporter).importFile(lines, { batchSize: 2 });
    // Then the stance on the item is recorded (POST /events records it: the catalog keeps the
    // item), and only the stale expectedVersion is refused, naming it
    expect(report.bad).toEqual([
      { line: 5, message: expect.stringMatching(/^expectedVersion: .*at version 4, not at the expected version 3/) },
    ]);
    expect(report.recorded).toBe(4);
  });

  it('can be run again (as after a crash) without duplicating anything', async () => {
    await t.app.get(BulkImporter).importFile(file, { batchSize: 2 });
    const before = await request(t.http).get('/log?limit=1000').expect(200);
    const report = await t.app.get(BulkImporter).importFile(file);
    expect(report.recorded).toBe(0);
    expect(report.alreadyThere).toBe(4);
    const after = await request(t.http).get('/log?limit=1000').expect(200);
    expect(after.body.events).toHaveLength(before.body.events.length);
  });
});

describe('bulk import of a generated negotiation log', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it('projects, from the events in hand, what a rebuild from the log projects: late reports, corrections and retractions included', async () => {
    const data = await generate({
      events: 3000,
      topics: 12,
      parties: 10,
      seed: 7,
      dir: mkdtempSync(join(tmpdir(), 'stance-generated-')),
    });
    await loadCatalog(t.database.url, data.catalog);
    t.app.get(CatalogService).invalidate();
    const report = await t.app.get(BulkImporter).importFile(data.eventsFile, { batchSize: 700 });
    expect(report).toMatchObject({ lines: 3000, recorded: 3000, bad: [] });
    // COPY chains its rows as append_events does (the insert trigger), two topics at once.
    const chain = await t.app.get(LogChain).verify();
    expect(chain.broken).toBeUndefined();
    expect(chain.checked).toBe(3000);
    expect(data.lateReports).toBeGreaterThan(0);
    expect((data.byType.correction ?? 0) + (data.byType.retraction ?? 0)).toBeGreaterThan(0);
    const imported = await projectionRows(t.dataSource);
    expect(imported.elements.length).toBeGreaterThan(3000);
    await t.app.get(PositionProjection).rebuildAll();
    expect(await projectionRows(t.dataSource)).toEqual(imported);
  });
});

describe('bulk import of lines the database refuses though the checks accept them', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await startCatalogApp();
    // Refusals the import's checks cannot foresee: a trigger on the log refuses one summary, one on
    // the projection refuses one quote's evidence card (set up by the owner: the app's role may not).
    await withClient(t.database.url, (owner) =>
      owner.query(`
      CREATE FUNCTION refuse_marked_summary() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN RAISE EXCEPTION 'summary refused by the test trigger'; END $$;
      CREATE TRIGGER refuse_marked_summary BEFORE INSERT ON events FOR EACH ROW
        WHEN (NEW.data->>'summary' LIKE '%[refused by the log]%') EXECUTE FUNCTION refuse_marked_summary();
      CREATE FUNCTION refuse_marked_card() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN RAISE EXCEPTION 'evidence card refused by the test trigger'; END $$;
      CREATE TRIGGER refuse_marked_card BEFORE INSERT ON evidence_cards FOR EACH ROW
        WHEN (NEW.card LIKE '%[refused by the projection]%') EXECUTE FUNCTION refuse_marked_card();`),
    );
  });
  afterEach(() => t.close());

  /**
   * 60 lines over three topics, interleaved: in missile-defense-europe a proposal the log refuses
   * (line 25) and a rejection of it further on (line 46), and a proposal recorded and rejected
   * around them; in cfe-treaty an act whose evidence card the projection refuses (line 32).
   */
  async function writeFile() {
    const own = await createTopic(t);
    const topics = ['missile-defense-europe', 'cfe-treaty', own];
    const ids = Array.from({ length: 60 }, () => randomUUID());
    const day = (i: number) => `2007-05-${String(1 + Math.floor(i / 3)).padStart(2, '0')}`;
    const lines = ids.map((id, i) => {
      const topic = topics[i % 3];
      const common = { id, topic, occurred: day(i), summary: `Line ${i + 1} of the file.` };
      if (topic === 'cfe-treaty')
        return claim({
          ...common,
          type: 'action',
          payload: { act: `suspends part ${i + 1} of its CFE participation` },
          cameo: '160',
          ...(i === 31 ? { quote: 'We suspend it [refused by the projection]' } : {}),
        });
      if (i === 0 || i === 24)
        return claim({
          ...common,
          type: 'proposal',
          actor: i === 0 ? 'russia' : 'united-states',
          targets: [i === 0 ? 'united-states' : 'russia'],
          payload:
            i === 0
              ? { item: 'azerbaijan-radar', terms: 'data from the Gabala radar' }
              : { item: 'us-third-site', terms: 'interceptors in Poland' },
          ...(i === 24 ? { summary: 'The US proposes the third site [refused by the log].' } : {}),
        });
      if (i === 39 || i === 45)
        return claim({
          ...common,
          type: 'rejection',
          actor: i === 39 ? 'united-states' : 'russia',
          targets: [i === 39 ? 'russia' : 'united-states'],
          refersTo: i === 39 ? ids[0] : ids[24],
          payload: { reason: 'not acceptable' },
        });
      return claim(common);
    });
    const file = join(mkdtempSync(join(tmpdir(), 'stance-refused-')), 'events.jsonl');
    writeFileSync(file, lines.map((l) => JSON.stringify(l)).join('\n') + '\n');
    return { file, ids, topics };
  }

  it.each([
    ['one batch a topic', undefined],
    ['batches of 4 lines', 4],
  ])(
    'reports each refused line by number with the reason, records every other line in order, and resumes (%s)',
    async (_, batchSize) => {
      const { file, ids, topics } = await writeFile();
      const report = await t.app.get(BulkImporter).importFile(file, { batchSize });
      expect(report).toMatchObject({ lines: 60, recorded: 57, alreadyThere: 0 });
      expect(report.bad).toEqual([
        {
          line: 25,
          message: expect.stringMatching(
            /^the database refused it: summary refused by the test trigger \(SQLSTATE P0001\)$/,
          ),
        },
        {
          line: 32,
          message: expect.stringMatching(
            /^the database refused it: evidence card refused by the test trigger \(SQLSTATE P0001\)$/,
          ),
        },
        // It rejects the refused proposal: decided again against the topic as recorded, without it.
        { line: 46, message: `refersTo: no recorded event has id ${ids[24]}` },
      ]);

      // Every other line is recorded, each topic's in file order with versions 1..n, in log order.
      const refused = new Set([ids[24], ids[31], ids[45]]);
      const stored: { id: string; stream: string; version: number }[] = await t.dataSource.query(
        'SELECT id, stream, version FROM events ORDER BY stream, version',
      );
      expect(stored).toHaveLength(57);
      for (const [n, topic] of topics.entries()) {
        const expected = ids.filter((id, i) => i % 3 === n && !refused.has(id));
        const rows = stored.filter((row) => row.stream === topic);
        expect(rows.map((row) => row.id)).toEqual(expected);
        expect(rows.map((row) => row.version)).toEqual(expected.map((_id, i) => i + 1));
      }
      const [{ ordered }] = await t.dataSource.query(
        `SELECT bool_and(position > previous) AS ordered FROM (
           SELECT position, lag(position, 1, 0::bigint) OVER (PARTITION BY stream ORDER BY version) AS previous FROM events) AS e`,
      );
      expect(ordered).toBe(true);

      // The recorded proposal has its rejection; the refused one is nowhere. The projection is
      // what a rebuild from the log makes of it.
      const russia = await request(t.http)
        .get('/parties/russia/positions?topic=missile-defense-europe&at=2007-06-08')
        .expect(200);
      expect(withCards(russia.body)[0].openProposals[0].responses).toEqual([
        expect.objectContaining({ party: 'united-states', response: 'rejected' }),
      ]);
      const unitedStates = await request(t.http)
        .get('/parties/united-states/positions?topic=missile-defense-europe&at=2007-06-08')
        .expect(200);
      expect(withCards(unitedStates.body)[0].openProposals).toEqual([]);
      const imported = await projectionRows(t.dataSource);
      await t.app.get(PositionProjection).rebuildAll();
      expect(await projectionRows(t.dataSource)).toEqual(imported);

      // `npm run import` lists them and exits 2, naming how many lines were not recorded.
      const outcome = importOutcome(report, 1);
      expect(outcome.lines).toEqual(
        expect.arrayContaining([
          expect.stringMatching(/^ {2}line 25: the database refused it: summary refused/),
          expect.stringMatching(/^ {2}line 32: the database refused it: evidence card refused/),
          expect.stringMatching(/^ {2}line 46: refersTo: /),
        ]),
      );
      expect(outcome.failure).toMatchObject({
        exitCode: 2,
        message: expect.stringMatching(/^3 of 60 lines were not imported/),
      });

      // Run again (as after a crash): nothing new, the same lines reported.
      const again = await t.app.get(BulkImporter).importFile(file, { batchSize });
      expect(again).toMatchObject({ lines: 60, recorded: 0, alreadyThere: 57, bad: report.bad });
      expect(await t.dataSource.query('SELECT count(*)::int AS n FROM events')).toEqual([{ n: 57 }]);
      expect(importOutcome(again, 1).failure).toMatchObject({ exitCode: 2 });
    },
  );
});
