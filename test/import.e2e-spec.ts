import { randomUUID } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { loadCatalog } from '../bench/database.js';
import { generate } from '../bench/generate.js';
import { CatalogService } from '../src/catalog/catalog.service.js';
import { BulkImporter } from '../src/diplomacy/import/bulk-import.service.js';
import { LogChain } from '../src/event-store/log-chain.js';
import { PositionProjection } from '../src/diplomacy/projection/position.projection.js';
import { claim, startCatalogApp, withCards } from './support/scenario.js';
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

  /** Every stored row of the projection, in one order. */
  const projection = async () => ({
    elements: await t.dataSource.query(
      'SELECT party, topic, key, valid_from::text, valid_to::text, body FROM position_elements ORDER BY 1, 2, 3, 4',
    ),
    cards: await t.dataSource.query('SELECT ref, card FROM evidence_cards ORDER BY ref'),
    states: await t.dataSource.query('SELECT topic, version, last_event, parties FROM topic_states ORDER BY topic'),
  });

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
    const imported = await projection();
    expect(imported.elements.length).toBeGreaterThan(3000);
    await t.app.get(PositionProjection).rebuildAll();
    expect(await projection()).toEqual(imported);
  });
});
