import { randomUUID } from 'node:crypto';
import { copyFileSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import request from 'supertest';
import { CatalogService } from '../src/catalog/catalog.service.js';
import { CliFailure } from '../src/cli/cli-failure.js';
import { checkExportFilters } from '../src/cli/export-filters.js';
import { EventExport } from '../src/diplomacy/export/event-export.service.js';
import { BulkImporter } from '../src/diplomacy/import/bulk-import.service.js';
import { SeedLoader, seedId } from '../src/diplomacy/seeds/seed-loader.js';
import { record, withoutKnownAt } from './support/scenario.js';
import { startTestApp, TEST_TOKEN, type TestApp } from './support/test-app.js';

const RADAR = seedId('wp-2007-06-08/putin-offers-azerbaijan-radar');
const LAVROV_FREEZE = seedId('oct-2007/lavrov-freeze-demand');
const KENNEBUNKPORT = seedId('oct-2007/putin-kennebunkport-proposal');
const NATO_ENDORSES = seedId('fox-2008-04-03/nato-endorses-us-third-site');

/** The app with the seed corpus, as a newcomer's first start has it. */
async function startSeededApp(): Promise<TestApp> {
  const t = await startTestApp();
  await t.app.get(SeedLoader).load();
  return t;
}

/** A folder holding the seeds' catalog and no article: a database with the catalog and an empty log. */
function catalogOnly(): string {
  const dir = mkdtempSync(join(tmpdir(), 'stance-catalog-'));
  mkdirSync(join(dir, 'articles'));
  copyFileSync('seeds/catalog.json', join(dir, 'catalog.json'));
  return dir;
}

const jsonLines = (text: string) =>
  text
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as Record<string, unknown>);
const csvRows = (text: string, delimiter = ',') => parse<Record<string, string>>(text, { columns: true, delimiter });

/** The text of an export route (supertest buffers text/* but not JSON lines). */
async function exported(t: TestApp, path: string) {
  const res = await request(t.http)
    .get(path)
    .buffer(true)
    .parse((response, done) => {
      let text = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (text += chunk));
      response.on('end', () => done(null, text));
    })
    .expect(200);
  return { text: res.body as string, headers: res.headers };
}

describe('exports of the seed corpus', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startSeededApp();
  });
  afterAll(() => t.close());

  it('writes PLOVER JSON lines, field by field, with Stance fields in `stance`', async () => {
    const { text, headers } = await exported(t, '/export/events?format=plover');
    expect(headers['content-type']).toMatch(/^application\/x-ndjson/);
    expect(Number(headers['log-position'])).toBeGreaterThan(60);
    const rows = jsonLines(text);
    const radar = rows.find((r) => r.id === RADAR)!;
    expect(radar).toEqual({
      id: RADAR,
      date: '2007-06-07',
      enddate: '2007-06-07',
      actor: 'Russia',
      recipient: 'United States',
      event: 'AGREE',
      mode: null,
      context: 'missile-defense-europe',
      quad_code: 1,
      event_text: expect.stringMatching(/^Meeting Bush at the G8 summit in Heiligendamm, Putin proposed/),
      link: null,
      text: expect.stringMatching(/^Putin suggested that a Soviet-era radar installation/),
      cite_info: 'The Washington Post, "Putin Offers to Join Missile Shield Effort", Michael A. Fletcher, 2007-06-08',
      stance: {
        topic: 'missile-defense-europe',
        type: 'proposal',
        actor: 'russia',
        targets: ['united-states'],
        item: 'azerbaijan-radar',
        occurred: '2007-06-07',
        occurredBasis: expect.stringContaining('ROSTOCK, Germany, June 7'),
        reportedAt: expect.stringMatching(/^2007-06-08/),
        source: {
          publisher: 'The Washington Post',
          title: 'Putin Offers to Join Missile Shield Effort',
          author: 'Michael A. Fletcher',
          publishedAt: '2007-06-08',
        },
        speaker: { name: 'Vladimir Putin', role: 'President of Russia' },
        key: 'wp-2007-06-08.putin-offers-azerbaijan-radar',
        refersTo: null,
        cameo: { code: '031', name: 'Express intent to engage in material cooperation', goldstein: 5.2 },
        payload: expect.objectContaining({ item: 'azerbaijan-radar' }),
        correctedBy: null,
        position: expect.any(Number),
      },
    });
    const freeze = rows.find((r) => r.id === LAVROV_FREEZE)!;
    expect(freeze).toMatchObject({
      date: '2007-10-12',
      enddate: '2007-10-12',
      event: 'REQUEST',
      mode: 'yield',
      quad_code: 3,
      stance: { occurred: '2007-10-12', cameo: { code: '1056', goldstein: -5 } },
    });
    // An interval is written as EDTF where a string says when (the article's "early July", which the
    // public record fixes to 1-2 July by a correction), with the reasoning behind the date beside it.
    expect(rows.find((r) => r.id === KENNEBUNKPORT)).toMatchObject({
      date: '2007-07-01',
      enddate: '2007-07-02',
      stance: { occurred: '2007-07-01/2007-07-02', occurredBasis: expect.any(String) },
    });
    // A criticism (CAMEO 111) is PLOVER ACCUSE, as the PLOVER import reads ACCUSE; a plain statement of stance has none.
    const coded = rows as unknown as { event: string | null; stance: { type: string; cameo: { code: string } } }[];
    const statements = coded.filter((r) => r.stance.type === 'statement');
    const categories = (code: string) => [
      ...new Set(statements.filter((r) => r.stance.cameo.code === code).map((r) => r.event)),
    ];
    expect(categories('111')).toEqual(['ACCUSE']);
    expect(categories('010')).toEqual([null]);
    const listed = await request(t.http).get('/events?type=statement&limit=500').expect(200);
    const criticism = listed.body.events.find((e: { cameo: { code: string } }) => e.cameo.code === '111');
    expect(criticism.cameo.plover).toBe('ACCUSE');
  });

  it('writes POLECAT- and ACLED-style tables, CSV or TSV, field by field', async () => {
    const polecat = csvRows((await exported(t, '/export/events?format=polecat')).text);
    expect(polecat.find((r) => r['Event ID'] === LAVROV_FREEZE)).toMatchObject({
      'Event Date': '2007-10-12',
      'Event Type': 'REQUEST',
      'Event Mode': 'yield',
      'Quad Code': 'VERBAL CONFLICT',
      Contexts: 'missile-defense-europe',
      'Actor Name': 'Russia',
      'Actor Title': expect.stringMatching(/^Sergei Lavrov/),
      'Recipient Name': 'United States',
      'Stance Occurred EDTF': '2007-10-12',
      'Stance End Date': '2007-10-12',
      'Stance Type': 'freeze_demand',
      'Stance CAMEO Code': '1056',
      'Stance Goldstein': '-5',
    });
    const { text, headers } = await exported(t, '/export/events?format=acled&separator=tab');
    expect(headers['content-type']).toMatch(/^text\/tab-separated-values/);
    const acled = csvRows(text, '\t');
    expect(acled.find((r) => r.event_id_cnty === RADAR)).toMatchObject({
      event_date: '2007-06-07',
      year: '2007',
      time_precision: '1',
      disorder_type: 'Strategic developments',
      event_type: 'Strategic developments',
      sub_event_type: 'Other',
      actor1: 'Russia',
      assoc_actor_1: 'Vladimir Putin',
      actor2: 'United States',
      fatalities: '0',
      tags: 'proposal',
      stance_occurred_edtf: '2007-06-07',
      stance_cameo_code: '031',
      stance_plover: 'AGREE',
      stance_item: 'azerbaijan-radar',
    });
    // Days since the corrections from the public record: the talks of 12 October, the visit of 1-2 July.
    expect(acled.find((r) => r.event_id_cnty === LAVROV_FREEZE)?.time_precision).toBe('1');
    expect(acled.find((r) => r.event_id_cnty === KENNEBUNKPORT)?.time_precision).toBe('2');
    expect(
      acled.find((r) => r.event_id_cnty === seedId('fox-2008-04-03/czech-republic-radar-deal'))?.sub_event_type,
    ).toBe('Agreement');
  });

  it('filters by topic, party, type and dates, and 404s an unknown topic naming the known ones', async () => {
    const rows = jsonLines(
      (
        await exported(
          t,
          '/export/events?format=plover&party=nato&type=statement&from=2008-01-01&topic=missile-defense-europe',
        )
      ).text,
    );
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) {
      const stance = row.stance as { type: string; actor: string; targets: string[]; topic: string };
      expect(stance.type).toBe('statement');
      expect([stance.actor, ...stance.targets]).toContain('nato');
      expect((row.enddate as string) >= '2008-01-01').toBe(true);
    }
    const res = await request(t.http).get('/export/events?topic=missile-defence').expect(404);
    expect(JSON.stringify(res.body)).toContain('missile-defense-europe');
    await request(t.http).get('/export/events?format=gdelt').expect(400);
    await request(t.http).get('/export/events?knownAt=yesterday').expect(400);
  });

  it('filters the log as GET /events does: party and dates by each event as corrected, with what is about it', async () => {
    // The seeds' Moscow talks are recorded as reported, and corrections fix their dates to 12 October 2007
    for (const filters of [
      'from=2007-10-12&to=2007-10-12',
      'party=poland',
      'party=russia&from=2007-10-01&to=2007-10-31',
    ]) {
      const listed = await request(t.http).get(`/events?${filters}&limit=500`).expect(200);
      const events = (listed.body as { events: { id: string; type: string }[] }).events;
      const log = jsonLines((await exported(t, `/export/events?format=stance&${filters}`)).text);
      const own = log.filter((r) => !['correction', 'retraction', 'report'].includes(r.type as string));
      expect(own.map((r) => r.id).sort()).toEqual(
        events
          .filter((e) => !['correction', 'retraction', 'report'].includes(e.type))
          .map((e) => e.id)
          .sort(),
      );
      // Each record about a record goes with the event it is about
      const ids = new Set(own.map((r) => r.id));
      for (const about of log.filter((r) => !own.includes(r))) expect(ids.has(about.refersTo as string)).toBe(true);
      expect(log.length).toBeGreaterThan(own.length); // corrections came along
    }
  });

  it('refuses on the command line, naming the flag, what the export routes refuse', async () => {
    // Given the CLI's export command on the seeded database (its checks: nest-commander does not load in jest)
    const catalog = t.app.get(CatalogService);
    const out = 'unused';
    const refusals: [
      { format?: string; out?: string; topic?: string; party?: string; type?: string; from?: string; to?: string },
      RegExp,
    ][] = [
      [{ party: 'nobody' }, /^--party: unknown party "nobody"/],
      [{ topic: 'missile-defence' }, /^--topic: unknown topic "missile-defence".*"missile-defense-europe"/],
      [{ type: 'bogus' }, /^--type: unknown event type "bogus"/],
      [{ from: '2009-01-01', to: '2008-01-01' }, /^--from: 2009-01-01 is after --to 2008-01-01/],
      [{ format: 'package', out, party: 'poland' }, /^--party: the package export is a whole snapshot/],
      [{ format: 'positions', topic: 'missile-defense-europe' }, /^--topic: the positions export is a whole snapshot/],
    ];
    // When each is asked, then it fails (exit code 1) naming its flag, before anything is written
    for (const [flags, message] of refusals) {
      const failure = await checkExportFilters(flags.format ?? 'stance', flags, flags, catalog).catch(
        (error: unknown) => error,
      );
      expect(failure).toBeInstanceOf(CliFailure);
      expect((failure as CliFailure).exitCode).toBe(1);
      expect((failure as Error).message).toMatch(message);
    }
  });

  it('refuses an empty or wrong-typed upTo, saying what it must be once', async () => {
    const empty = await request(t.http).get('/export/events?upTo=').expect(400);
    expect(empty.body.errors).toEqual([{ field: 'upTo', problem: 'must be an integer number' }]);
    const word = await request(t.http).get('/export/events?upTo=abc').expect(400);
    expect(word.body.errors).toEqual([{ field: 'upTo', problem: 'must be an integer number' }]);
    await request(t.http).get('/export/events?upTo=-1').expect(400);
  });

  it('as known at 2007-12-31, leaves out the 2008 article in every export', async () => {
    const known = 'knownAt=2007-12-31';
    const log = jsonLines((await exported(t, `/export/events?format=stance&${known}`)).text);
    const plover = jsonLines((await exported(t, `/export/events?format=plover&${known}`)).text);
    const polecat = csvRows((await exported(t, `/export/events?format=polecat&${known}`)).text);
    const acled = csvRows((await exported(t, `/export/events?format=acled&${known}`)).text);
    for (const ids of [
      log.map((r) => r.id),
      plover.map((r) => r.id),
      polecat.map((r) => r['Event ID']),
      acled.map((r) => r.event_id_cnty),
    ]) {
      expect(ids).toContain(RADAR);
      expect(ids).toContain(LAVROV_FREEZE);
      expect(ids).not.toContain(NATO_ENDORSES);
    }
    expect(log.every((r) => !String((r.source as { publisher: string }).publisher).startsWith('Fox'))).toBe(true);
    const all = jsonLines((await exported(t, '/export/events?format=stance')).text);
    expect(all.map((r) => r.id)).toContain(NATO_ENDORSES);
    expect(log.length).toBeLessThan(all.length);
  });

  it('writes positions at a date as CSV, one row per party and item, as known at an instant', async () => {
    const rows = csvRows((await exported(t, '/export/positions?at=2007-10-31')).text);
    expect(Object.keys(rows[0])).toEqual(['party', 'topic', 'item', 'stance', 'since', 'until', 'status', 'evidence']);
    expect(rows).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          party: 'russia',
          topic: 'missile-defense-europe',
          item: 'azerbaijan-radar',
          stance: 'proposer',
          status: 'current',
        }),
      ]),
    );
    // The US stance on an item it proposed, from the API's own answer: the export says the same.
    const answer = await request(t.http)
      .get('/parties/united-states/positions?topic=missile-defense-europe&at=2007-10-31')
      .expect(200);
    const items = answer.body.positions[0].items as { item: string; stance: string; since: string; evidence: string }[];
    for (const item of items)
      expect(rows).toContainEqual(
        expect.objectContaining({
          party: 'united-states',
          item: item.item,
          stance: item.stance,
          since: item.since,
          status: 'current',
          evidence: item.evidence,
        }),
      );
    const before2008 = csvRows((await exported(t, '/export/positions?at=2008-12-31&knownAt=2007-12-31')).text);
    expect(before2008.some((r) => String(r.evidence).startsWith(NATO_ENDORSES))).toBe(false);
    // Cited as corrected (the Bucharest declaration's date, from the public record): `<id>+<correction>`.
    expect(
      csvRows((await exported(t, '/export/positions?at=2008-12-31')).text).some((r) =>
        String(r.evidence).startsWith(NATO_ENDORSES),
      ),
    ).toBe(true);
    // Replaced stances of the 12 months before `at` by default, as the positions; history=all gives every one.
    const replaced = (rows: Record<string, unknown>[]) => rows.filter((r) => r.status === 'replaced').length;
    const window = csvRows((await exported(t, '/export/positions?at=2009-06-01')).text);
    const all = csvRows((await exported(t, '/export/positions?at=2009-06-01&history=all')).text);
    expect(replaced(all)).toBeGreaterThan(replaced(window));
    expect(all.filter((r) => r.status === 'current')).toEqual(window.filter((r) => r.status === 'current'));
    await request(t.http).get('/export/positions?history=some').expect(400);
  });

  it('describes a snapshot as a Frictionless data package whose resources reproduce it', async () => {
    const res = await request(t.http).get('/export/datapackage.json?knownAt=2007-12-31&at=2007-12-31').expect(200);
    const descriptor = res.body;
    expect(descriptor.stance).toEqual({
      knownAt: '2007-12-31T23:59:59.999Z',
      logPosition: expect.any(Number),
      positionsAt: '2007-12-31',
      coding: {
        cameo: expect.stringContaining('CAMEO 1.1b3'),
        plover: expect.stringContaining('PLOVER'),
        goldstein: expect.stringContaining('Goldstein'),
        digest: expect.stringMatching(/^[0-9a-f]{16}$/),
      },
    });
    expect(descriptor.resources.map((r: { name: string }) => r.name)).toEqual([
      'log',
      'plover',
      'polecat',
      'acled',
      'positions',
      'coding',
    ]);
    // The coding table names every code the exported events carry, with their names and scores.
    const coding = descriptor.resources.find((r: { name: string }) => r.name === 'coding');
    expect(coding.schema.primaryKey).toEqual(['event_type', 'cameo_code']);
    const codes = csvRows((await exported(t, new URL(coding.path).pathname)).text);
    expect(Object.keys(codes[0])).toEqual(coding.schema.fields.map((f: { name: string }) => f.name));
    const logged: { type: string; cameo: { code: string; name: string; goldstein: number } | null }[] = (
      await request(t.http).get('/events?limit=500').expect(200)
    ).body.events;
    const coded = logged.filter((e) => e.cameo);
    expect(coded.length).toBeGreaterThan(20);
    for (const { type, cameo } of coded) {
      const row = codes.find((r) => r.event_type === type && r.cameo_code === cameo!.code);
      expect({ type, code: cameo!.code, row: row && [row.cameo_name, Number(row.goldstein)] }).toEqual({
        type,
        code: cameo!.code,
        row: [cameo!.name, cameo!.goldstein],
      });
    }
    const polecat = descriptor.resources.find((r: { name: string }) => r.name === 'polecat');
    expect(polecat.schema.fields[0]).toEqual({ name: 'Event ID', type: 'string' });
    // A resource's path is the export of the same snapshot: the log position is fixed in it.
    const log = descriptor.resources[0].path as string;
    expect(log).toMatch(
      new RegExp(`^http://[^/]+/export/events\\?format=stance&knownAt=.*&upTo=${descriptor.stance.logPosition}$`),
    );
    const local = (url: string) => `${new URL(url).pathname}${new URL(url).search}`;
    await record(t, {
      topic: 'missile-defense-europe',
      type: 'statement',
      actor: 'russia',
      targets: ['united-states'],
      occurred: '2007-06-07',
      reportedAt: '2007-06-09',
      source: { publisher: 'A late archive', title: 'Found later', publishedAt: '2007-06-09' },
      summary: 'Russia opposes the third site (a report found after the snapshot).',
      payload: { item: 'us-third-site', stance: 'opposes' },
    });
    const again = jsonLines((await exported(t, local(log))).text);
    const now = jsonLines((await exported(t, '/export/events?format=stance&knownAt=2007-12-31')).text);
    expect(now.length).toBe(again.length + 1);
    const late = now.find((r) => r.summary === 'Russia opposes the third site (a report found after the snapshot).')!;
    // The positions of the snapshot are folded up to its log position: the late find is not in them.
    const positions = descriptor.resources.find((r: { name: string }) => r.name === 'positions').path as string;
    expect(positions).toContain(`upTo=${descriptor.stance.logPosition}`);
    const snapshotRows = csvRows((await exported(t, local(positions))).text);
    const nowRows = csvRows((await exported(t, '/export/positions?at=2007-12-31&knownAt=2007-12-31')).text);
    expect(snapshotRows.map((r) => r.evidence)).not.toContain(late.id);
    expect(nowRows.map((r) => r.evidence)).toContain(late.id);
  });

  it('gives its connection back to the pool when the reader stops early', async () => {
    const pool = (t.dataSource.driver as unknown as { master: { totalCount: number; idleCount: number } }).master;
    for (const format of ['stance', 'plover', 'polecat'] as const) {
      const { text } = await t.app.get(EventExport).events(format, {});
      const first = await new Promise<unknown>((resolve) => text.once('data', resolve));
      expect(first).toBeDefined();
      text.destroy();
      await new Promise((resolve) => text.once('close', resolve));
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect({ format, busy: pool.totalCount - pool.idleCount }).toEqual({ format, busy: 0 });
    }
  });

  it('applies corrections and retractions as known at the asked instant', async () => {
    await record(t, {
      topic: 'missile-defense-europe',
      type: 'correction',
      actor: 'russia',
      occurred: '2007-06-07',
      reportedAt: '2009-01-10',
      source: { publisher: 'Corrections desk', title: 'Correction', publishedAt: '2009-01-10' },
      // A day earlier: on a later day the statements answering the offer that day would come before it (refused).
      summary: 'The offer was made on 6 June.',
      refersTo: RADAR,
      payload: { reason: 'wrong day', changes: { occurred: '2007-06-06' } },
    });
    await record(t, {
      topic: 'missile-defense-europe',
      type: 'retraction',
      actor: 'united-states',
      occurred: '2007-10-13',
      reportedAt: '2009-01-11',
      source: { publisher: 'Corrections desk', title: 'Retraction', publishedAt: '2009-01-11' },
      summary: 'The statement was never made.',
      refersTo: seedId('oct-2007/gates-says-sites-no-threat-to-russia'),
      payload: { reason: 'misattributed' },
    });
    const before = jsonLines((await exported(t, '/export/events?format=plover&knownAt=2008-12-31')).text);
    const after = jsonLines((await exported(t, '/export/events?format=plover')).text);
    expect(before.find((r) => r.id === RADAR)).toMatchObject({ date: '2007-06-07', stance: { correctedBy: null } });
    expect(after.find((r) => r.id === RADAR)).toMatchObject({
      date: '2007-06-06',
      stance: { correctedBy: expect.any(String) },
    });
    const gates = seedId('oct-2007/gates-says-sites-no-threat-to-russia');
    expect(before.map((r) => r.id)).toContain(gates);
    expect(after.map((r) => r.id)).not.toContain(gates);
    // Records about records are no rows of their own in research formats; the log keeps them.
    expect(after.map((r) => (r.stance as { type: string }).type)).not.toContain('correction');
    const log = jsonLines((await exported(t, '/export/events?format=stance')).text);
    expect(log.map((r) => r.type)).toEqual(expect.arrayContaining(['correction', 'retraction']));
  });
});

describe('the log exported as Stance JSON lines and imported into an empty database', () => {
  let source: TestApp;
  let topics: string[];

  beforeAll(async () => {
    source = await startSeededApp();
    topics = (await request(source.http).get('/topics').expect(200)).body.map((topic: { slug: string }) => topic.slug);
  });
  afterAll(() => source.close());

  /** A new database with the seeds' catalog and the log exported from the seeded app at `query`. */
  async function importedInto(query: string): Promise<TestApp> {
    const target = await startTestApp();
    const file = join(mkdtempSync(join(tmpdir(), 'stance-roundtrip-')), 'events.jsonl');
    writeFileSync(file, (await exported(source, `/export/events?format=stance${query}`)).text);
    try {
      await target.app.get(SeedLoader).load(catalogOnly());
      const report = await target.app.get(BulkImporter).importFile(file);
      expect(report.bad).toEqual([]);
      expect(report.recorded).toBe(report.lines);
      return target;
    } catch (error) {
      await target.close(); // else the failed test's app keeps jest from ending
      throw error;
    }
  }

  it('imports into another seeded database as the events it already holds, and adds what it does not', async () => {
    // Given a second seeded instance (every `npm start` on the embedded database loads the seeds)
    const target = await startSeededApp();
    try {
      // And the source's log with one event of its own besides the seeds
      const extra = await request(source.http)
        .post('/events')
        .set('Authorization', `Bearer ${TEST_TOKEN}`)
        .send({
          topic: 'missile-defense-europe',
          type: 'statement',
          actor: 'poland',
          targets: ['united-states'],
          occurred: '2008-04',
          reportedAt: '2008-04-10',
          source: { publisher: 'Example Daily', title: 'Warsaw weighs the shield', publishedAt: '2008-04-10' },
          summary: 'Poland says it is close to agreeing to host the interceptors.',
          payload: { item: 'us-third-site', stance: 'supports', reason: 'close to an agreement' },
        })
        .expect(201);
      const file = join(mkdtempSync(join(tmpdir(), 'stance-seeded-')), 'events.jsonl');
      writeFileSync(file, (await exported(source, '/export/events?format=stance')).text);
      // When it is imported there
      const report = await target.app.get(BulkImporter).importFile(file);
      // Then the seeds' lines are the events already there (recorded by the seed loader's own requests), and the new one is added
      expect(report.bad).toEqual([]);
      expect(report.recorded).toBe(1);
      expect(report.alreadyThere).toBe(report.lines - 1);
      await request(target.http).get(`/events/${extra.body.event.id}`).expect(200);
    } finally {
      await target.close();
    }
  });

  it('gives identical positions at ten dates', async () => {
    const target = await importedInto('');
    try {
      const dates = [
        '1995-01-01',
        '2007-03-01',
        '2007-06-07',
        '2007-06-30',
        '2007-07-31',
        '2007-10-13',
        '2007-10-31',
        '2008-03-31',
        '2008-04-03',
        '2009-01-01',
      ];
      let compared = 0;
      for (const at of dates)
        for (const topic of topics) {
          const path = `/topics/${topic}/positions?at=${at}&history=all`;
          const [a, b] = await Promise.all([
            request(source.http).get(path).expect(200),
            request(target.http).get(path).expect(200),
          ]);
          expect({ at, topic, positions: b.body }).toEqual({ at, topic, positions: a.body });
          compared += a.body.positions.length;
        }
      expect(compared).toBeGreaterThan(50);
    } finally {
      await target.close();
    }
  });

  it.each([
    ['2007-12-31', ['2007-06-30', '2007-10-31', '2008-12-31']],
    // The seeds hold corrections reported before the events they correct (reported 2007-10-31):
    // known at 2007-10-20 they correct nothing known, and the export leaves them out.
    ['2007-10-20', ['2007-06-08', '2007-10-13']],
  ])('as known at %s, imports whole and gives the positions the source had as known then', async (knownAt, dates) => {
    const target = await importedInto(`&knownAt=${knownAt}`);
    try {
      let compared = 0;
      for (const at of dates)
        for (const topic of topics) {
          const path = `/topics/${topic}/positions?at=${at}&history=all`;
          const [a, b] = await Promise.all([
            request(source.http).get(`${path}&knownAt=${knownAt}`).expect(200),
            request(target.http).get(path).expect(200),
          ]);
          expect({ at, topic, positions: withoutKnownAt(b.body.positions), evidence: b.body.evidence }).toEqual({
            at,
            topic,
            positions: withoutKnownAt(a.body.positions),
            evidence: a.body.evidence,
          });
          compared += a.body.positions.length;
        }
      expect(compared).toBeGreaterThan(10);
    } finally {
      await target.close();
    }
  });
});

describe('CORS', () => {
  it('is off by default: no page of another origin may read the API', async () => {
    const t = await startTestApp();
    try {
      const res = await request(t.http).get('/parties').set('Origin', 'https://notebook.example.org').expect(200);
      expect(res.headers['access-control-allow-origin']).toBeUndefined();
    } finally {
      await t.close();
    }
  });

  it('answers an allowed origin, and only it, with CORS_ORIGINS set', async () => {
    const t = await startTestApp({ CORS_ORIGINS: 'https://notebook.example.org' });
    try {
      const allowed = await request(t.http)
        .get('/export/events')
        .set('Origin', 'https://notebook.example.org')
        .expect(200);
      expect(allowed.headers['access-control-allow-origin']).toBe('https://notebook.example.org');
      expect(allowed.headers['access-control-expose-headers']).toContain('Log-Position');
      const preflight = await request(t.http)
        .options('/events')
        .set('Origin', 'https://notebook.example.org')
        .set('Access-Control-Request-Method', 'POST')
        .set('Access-Control-Request-Headers', 'authorization,content-type');
      expect(preflight.status).toBeLessThan(300);
      expect(preflight.headers['access-control-allow-origin']).toBe('https://notebook.example.org');
      const other = await request(t.http).get('/parties').set('Origin', 'https://elsewhere.example.com').expect(200);
      expect(other.headers['access-control-allow-origin']).toBeUndefined();
    } finally {
      await t.close();
    }
  });
});

describe('imports of PLOVER, POLECAT and ACLED rows', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp();
    await t.app.get(SeedLoader).load(catalogOnly());
  });
  afterAll(() => t.close());

  const plover = (overrides: Record<string, unknown>) =>
    JSON.stringify({
      id: randomUUID(),
      date: '2007-10-12',
      enddate: '2007-10-12',
      actor: 'Russia',
      recipient: 'United States',
      event: 'REQUEST',
      mode: null,
      context: 'missile-defense-europe',
      quad_code: 3,
      event_text: 'Russia asked the United States to freeze its plans.',
      link: 'https://example.org/story',
      text: 'freeze the plans',
      cite_info: 'Example Wire, 13 October 2007',
      ...overrides,
    });

  it('maps PLOVER rows to Stance types where sound, matching actors by slug, name and alias, and reports the rest by line', async () => {
    const ids = {
      freeze: randomUUID(),
      threat: randomUUID(),
      accord: randomUUID(),
      support: randomUUID(),
      accuse: randomUUID(),
    };
    const lines = [
      plover({ id: ids.freeze, mode: 'yield', recipient: 'Washington' }),
      plover({
        id: ids.threat,
        event: 'THREATEN',
        actor: 'the Russians',
        event_text: 'Russia threatened to aim missiles at the sites.',
      }),
      plover({
        id: ids.accord,
        event: 'AGREE',
        actor: 'czech-republic',
        recipient: 'U.S.',
        date: '2008-04-02',
        enddate: '2008-04-03',
      }),
      plover({ id: ids.support, event: 'SUPPORT', actor: 'NATO', event_text: 'NATO backed the US plan.' }),
      plover({ id: ids.accuse, event: 'ACCUSE', event_text: 'Russia denounced the third site.' }),
      plover({ event: 'REJECT' }),
      plover({ event: 'ASSAULT' }),
      plover({ actor: 'Atlantis' }),
      '{ not json',
      plover({ date: 'October' }),
      plover({ context: 'arctic-claims' }),
      plover({ id: 'plover-2007-0001', event: 'REQUEST', date: '2007-10' }),
    ];
    const file = join(mkdtempSync(join(tmpdir(), 'stance-plover-')), 'plover.jsonl');
    writeFileSync(file, lines.join('\n'));
    const report = await t.app.get(BulkImporter).importFile(file, { format: 'plover' });
    expect(report.bad).toEqual([
      { line: 6, message: expect.stringContaining('REJECT is not imported: a rejection must name') },
      { line: 7, message: 'ASSAULT is not a diplomatic position Stance records' },
      { line: 8, message: 'actor "Atlantis" matches no party by slug, name or alias' },
      { line: 9, message: 'not valid JSON' },
      { line: 10, message: 'date is missing or not a date (YYYY-MM-DD)' },
      { line: 11, message: 'names no topic the catalog knows: give one with --topic' },
      { line: 12, message: expect.stringContaining('date') },
    ]);
    expect(report.recorded).toBe(5);
    const event = async (id: string) => (await request(t.http).get(`/events/${id}`).expect(200)).body;
    expect(await event(ids.freeze)).toMatchObject({
      type: 'freeze_demand',
      actor: 'russia',
      targets: ['united-states'],
      topic: 'missile-defense-europe',
      occurred: { from: '2007-10-12', to: '2007-10-12', precision: 'day' },
      quote: 'freeze the plans',
      summary: 'Russia asked the United States to freeze its plans.',
      source: {
        publisher: 'Example Wire, 13 October 2007',
        url: 'https://example.org/story',
        publishedAt: '2007-10-12',
      },
      cameo: { plover: 'REQUEST' },
      payload: { action: 'Russia asked the United States to freeze its plans.' },
    });
    expect(await event(ids.threat)).toMatchObject({ type: 'threat', actor: 'russia', cameo: { plover: 'THREATEN' } });
    expect(await event(ids.accord)).toMatchObject({
      type: 'agreement',
      actor: 'czech-republic',
      targets: ['united-states'],
      occurred: { from: '2008-04-02', to: '2008-04-03', precision: 'interval' },
      cameo: { code: '019', plover: 'AGREE' },
    });
    expect(await event(ids.support)).toMatchObject({
      type: 'statement',
      actor: 'nato',
      cameo: { code: '051', plover: 'SUPPORT' },
      payload: { stance: 'supports' },
    });
    expect(await event(ids.accuse)).toMatchObject({
      type: 'statement',
      cameo: { code: '111' },
      payload: { stance: 'opposes' },
    });
    // Imported again: every event is found by its id (a foreign id made a stable one), nothing is recorded twice.
    const again = await t.app.get(BulkImporter).importFile(file, { format: 'plover' });
    expect(again.recorded).toBe(0);
    expect(again.alreadyThere).toBe(5);
  });

  it('reads the PLOVER and POLECAT exports of the seeds back; ACLED rows other than agreements are reported', async () => {
    const seeded = await startSeededApp();
    try {
      const dir = mkdtempSync(join(tmpdir(), 'stance-foreign-'));
      const ploverFile = join(dir, 'plover.jsonl');
      writeFileSync(
        ploverFile,
        (await exported(seeded, '/export/events?format=plover&topic=g8-greenhouse-gas-cuts')).text,
      );
      const fromPlover = await t.app.get(BulkImporter).importFile(ploverFile, { format: 'plover' });
      // Stance's own fields came along: every event comes back as it was, type and payload included.
      expect(fromPlover.bad).toEqual([]);
      const ids = jsonLines(
        (await exported(seeded, '/export/events?format=plover&topic=g8-greenhouse-gas-cuts')).text,
      ).map((r) => String(r.id));
      expect(ids.length).toBeGreaterThan(3);
      for (const id of ids) {
        const [a, b] = await Promise.all([
          request(seeded.http).get(`/events/${id}`),
          request(t.http).get(`/events/${id}`),
        ]);
        expect(b.body).toMatchObject({
          type: a.body.type,
          actor: a.body.actor,
          payload: a.body.payload,
          occurred: a.body.occurred,
          source: a.body.source, // publisher, title, author and day: cite_info alone had made one text of them
        });
      }
      const polecatFile = join(dir, 'polecat.tsv');
      writeFileSync(
        polecatFile,
        (await exported(seeded, '/export/events?format=polecat&separator=tab&topic=cfe-treaty')).text,
      );
      const fromPolecat = await t.app.get(BulkImporter).importFile(polecatFile, { format: 'polecat' });
      expect(fromPolecat.recorded + fromPolecat.bad.length).toBe(fromPolecat.lines - 1);
      const acledFile = join(dir, 'acled.csv');
      writeFileSync(
        acledFile,
        (await exported(seeded, '/export/events?format=acled&topic=missile-defense-europe')).text,
      );
      const fromAcled = await t.app
        .get(BulkImporter)
        .importFile(acledFile, { format: 'acled', topic: 'missile-defense-europe' });
      expect(fromAcled.bad.length).toBeGreaterThan(0);
      expect(fromAcled.bad.find((b) => b.message.includes('/ Other'))?.message).toBe(
        `ACLED's "Strategic developments / Other" is not imported: only "Strategic developments / Agreement" is a diplomatic position Stance records`,
      );
    } finally {
      await seeded.close();
    }
  });
});
