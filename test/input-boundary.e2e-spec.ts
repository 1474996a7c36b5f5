import { randomUUID } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { importOutcome } from '../src/cli/import-outcome.js';
import { BulkImporter } from '../src/diplomacy/import/bulk-import.service.js';
import { claim, startCatalogApp } from './support/scenario.js';
import { TEST_TOKEN, type TestApp } from './support/test-app.js';

/**
 * The input boundary (issue 16): text the database refuses, dates outside years 1-9999, numbers
 * out of range and bodies nested without end get a 400 naming the field and write nothing, on
 * every path (HTTP bodies, path and query parameters, the import).
 */
describe('the input boundary', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startCatalogApp();
  });
  afterAll(() => t.close());

  const eventCount = async () => Number((await t.dataSource.query('SELECT count(*) AS n FROM events'))[0].n);
  const refused = async (body: Record<string, unknown>, field: string, problem: RegExp) => {
    const before = await eventCount();
    const res = await request(t.http).post('/events').set(t.auth).send(body).expect(400);
    expect(res.body.errors).toEqual(expect.arrayContaining([expect.objectContaining({ field })]));
    expect(res.body.errors.find((e: { field: string }) => e.field === field).problem).toMatch(problem);
    expect(await eventCount()).toBe(before);
  };

  it('refuses a target named twice (400 on targets, not de-duplicated), and names a bad source.publishedAt there when reportedAt is left out (audit 1, finding 9)', async () => {
    await refused(claim({ targets: ['united-states', 'united-states'] }), 'targets', /same party twice/);
    const res = await request(t.http)
      .post('/events')
      .set(t.auth)
      .send(claim({ source: { publisher: 'P', title: 'T', publishedAt: 'x' } }))
      .expect(400);
    expect(res.body.errors.map((e: { field: string }) => e.field)).toEqual(['source.publishedAt']);
  });

  it("refuses a correction of Russia's record by the United States, naming actor (audit 1, finding 9)", async () => {
    const threat = await request(t.http)
      .post('/events')
      .set(t.auth)
      .send(claim({ type: 'threat', payload: { item: 'us-third-site', counterMeasure: 'aim missiles' } }))
      .expect(201);
    const before = await eventCount();
    const res = await request(t.http)
      .post('/events')
      .set(t.auth)
      .send(
        claim({
          type: 'correction',
          actor: 'united-states',
          targets: [],
          speaker: undefined,
          refersTo: threat.body.event.id,
          payload: { reason: 'r', changes: { quote: 'q' } },
        }),
      )
      .expect(422);
    expect(res.body.errors).toEqual([
      { field: 'actor', problem: expect.stringContaining("must be that event's (russia)") },
    ]);
    expect(await eventCount()).toBe(before);
  });

  it('refuses NUL and lone surrogates anywhere in an event, naming the field', async () => {
    await refused(claim({ quote: 'a\u0000b' }), 'quote', /NUL/);
    await refused(claim({ summary: 'half a pair \ud83d' }), 'summary', /lone UTF-16 surrogate/);
    await refused(
      claim({ payload: { item: 'us-third-site', stance: 'opposes', reason: '\udc00 first' } }),
      'payload.reason',
      /surrogate/,
    );
    await refused(claim({ speaker: { name: 'Vladimir\u0000Putin' } }), 'speaker.name', /NUL/);
    await refused(claim({ payload: { 'it\u0000em': 'x' } }), 'payload', /property name/);
    // Catalog names too, and an agreement with an empty payload is no record at all.
    const party = await request(t.http)
      .post('/parties')
      .set(t.auth)
      .send({ slug: 'nul-party', name: 'The\u0000Party', kind: 'state' })
      .expect(400);
    expect(party.body.errors[0].field).toBe('name');
    await request(t.http).get('/parties/nul-party').expect(404);
    await refused(claim({ type: 'agreement', payload: {} }), 'payload.terms', /say what was agreed/);
    // A whole surrogate pair is Unicode, and welcome.
    await request(t.http)
      .post('/events')
      .set(t.auth)
      .send(claim({ summary: 'Putin 🚀 says no.' }))
      .expect(201);
  });

  it('refuses blank text (white space only) and unbounded aliases, naming the field', async () => {
    await refused(claim({ summary: '   ' }), 'summary', /blank/);
    await refused(claim({ quote: '\n\t' }), 'quote', /blank/);
    await refused(
      claim({ source: { publisher: ' ', title: 'A report', publishedAt: '2007-06-08' } }),
      'source.publisher',
      /blank/,
    );
    await refused(claim({ speaker: { name: '  ' } }), 'speaker.name', /blank/);
    const catalogRefuses = async (path: string, body: Record<string, unknown>, field: string) => {
      const res = await request(t.http).post(path).set(t.auth).send(body).expect(400);
      expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
    };
    await catalogRefuses('/parties', { slug: 'blank-party', name: '   ', kind: 'state' }, 'name');
    await catalogRefuses('/parties', { slug: 'blank-party', name: 'Blank', kind: 'state', aliases: [''] }, 'aliases');
    await catalogRefuses(
      '/parties',
      { slug: 'blank-party', name: 'Blank', kind: 'state', aliases: ['x'.repeat(100_000)] },
      'aliases',
    );
    await catalogRefuses('/speakers', { name: '   ', party: 'russia' }, 'name');
    await catalogRefuses('/topics', { slug: 'blank-topic', title: '  ' }, 'title');
    await request(t.http).get('/parties/blank-party').expect(404);
    await request(t.http).get('/topics/blank-topic').expect(404);
  });

  it('names the body when Fastify refuses it before any route: bad JSON, a "__proto__" key, too large', async () => {
    const before = await eventCount();
    const send = (body: string) =>
      request(t.http).post('/events').set(t.auth).set('Content-Type', 'application/json').send(body);
    for (const [body, status, problem] of [
      ['{"topic": ', 400, /not valid JSON/],
      [JSON.stringify(claim()).replace('{', '{"__proto__": {"x": 1}, '), 400, /__proto__/],
      [JSON.stringify(claim({ summary: 'x'.repeat(2 * 1024 * 1024) })), 413, /larger than/],
    ] as const) {
      const res = await send(body).expect(status);
      expect(res.body.errors).toEqual([{ field: 'body', problem: expect.stringMatching(problem) }]);
    }
    expect(await eventCount()).toBe(before);
  });

  it('refuses payload keys that name what every object inherits', async () => {
    for (const key of ['constructor', 'toString', 'hasOwnProperty'])
      await refused(
        claim({ payload: JSON.parse(`{"item":"us-third-site","stance":"opposes","${key}":"x"}`) }),
        `payload.${key}`,
        /is not a field/,
      );
    // Fastify's JSON parser refuses __proto__ itself, before anything else reads the body.
    const before = await eventCount();
    const proto = await request(t.http)
      .post('/events')
      .set(t.auth)
      .set('Content-Type', 'application/json')
      .send(JSON.stringify(claim({ payload: 'P' })).replace('"P"', '{"item":"us-third-site","__proto__":{"x":1}}'))
      .expect(400);
    expect(proto.body.message).toMatch(/not valid JSON/); // Fastify's words: it does not name the field
    expect(await eventCount()).toBe(before);
  });

  it('refuses a body nested without end', async () => {
    // Written by hand: JSON.stringify itself cannot go 10,000 levels deep.
    const deep = '{"x":'.repeat(10_000) + '"bottom"' + '}'.repeat(10_000);
    const body = JSON.stringify(claim({ payload: 'DEEP' })).replace('"DEEP"', deep);
    const before = await eventCount();
    const res = await request(t.http)
      .post('/events')
      .set(t.auth)
      .set('Content-Type', 'application/json')
      .send(body)
      .expect(400);
    expect(res.body.errors[0].field).toMatch(/^payload(\.x)+$/);
    expect(res.body.errors[0].problem).toMatch(/nested more than 32 levels/);
    expect(await eventCount()).toBe(before);
  });

  it('refuses dates outside years 1-9999, also once an offset is applied', async () => {
    await refused(claim({ occurred: '0000-01-01' }), 'occurred', /outside the years 1 to 9999/);
    await refused(claim({ reportedAt: '9999-12-31T23:30:00-01:00' }), 'reportedAt', /once converted to UTC/);
    for (const query of ['at=0000-01-01', 'knownAt=9999-12-31T23:30:00-01:00']) {
      const res = await request(t.http).get(`/parties/russia/positions?${query}`).expect(400);
      expect(res.body.errors[0].field).toBe(query.split('=')[0]);
    }
    const changes = await request(t.http).get('/parties/russia/changes?from=0000-01-01').expect(400);
    expect(changes.body.errors[0].field).toBe('from');
  });

  it('refuses a date parameter given blank (knownAt=, at=), naming it, on every route that takes one, never answering as if it were not asked', async () => {
    const topic = 'missile-defense-europe';
    const blank: [string, string][] = [
      ['/parties/russia/positions?knownAt=', 'knownAt'],
      ['/parties/russia/positions?at=', 'at'],
      [`/parties/russia/positions?topic=${topic}&knownAt=%20`, 'knownAt'],
      [`/topics/${topic}/positions?knownAt=`, 'knownAt'],
      [`/topics/${topic}/positions?at=`, 'at'],
      ['/parties/russia/changes?from=2007-01-01&to=', 'to'],
      ['/parties/russia/changes?from=', 'from'],
      ['/parties/russia/changes?from=2007-01-01&knownAt=', 'knownAt'],
      [`/topics/${topic}/replay?from=`, 'from'],
      [`/topics/${topic}/replay?to=`, 'to'],
      [`/topics/${topic}/replay?knownAt=`, 'knownAt'],
      ['/events?from=', 'from'],
      ['/events?to=', 'to'],
      ['/events?knownAt=', 'knownAt'],
      [`/events/${randomUUID()}?knownAt=`, 'knownAt'],
      [`/topics/${topic}/events/some-key?knownAt=`, 'knownAt'],
      ['/export/events?knownAt=', 'knownAt'],
      ['/export/events?from=', 'from'],
      ['/export/positions?at=', 'at'],
      ['/export/positions?knownAt=', 'knownAt'],
      ['/export/datapackage.json?knownAt=', 'knownAt'],
    ];
    for (const [path, field] of blank) {
      const res = await request(t.http).get(path).set(t.auth);
      expect({ path, status: res.status }).toEqual({ path, status: 400 });
      expect(res.body.errors).toEqual([
        expect.objectContaining({ field, problem: 'must not be empty: give a date or leave the parameter out' }),
      ]);
    }
    // Left out, each is what it always was.
    await request(t.http).get('/parties/russia/positions').expect(200);
    await request(t.http).get(`/topics/${topic}/replay`).expect(200);
  });

  it('refuses NUL in path and query parameters, and numbers past what the database holds', async () => {
    for (const [path, field] of [
      ['/events?q=%00', 'q'],
      ['/events?topic=missile%00', 'topic'],
      ['/parties/rus%00sia/positions', 'party'],
      ['/topics/missile%00/positions', 'topic'],
      ['/events?after=1e21', 'after'],
      ['/events?after=99999999999999999999', 'after'],
    ]) {
      const res = await request(t.http).get(path).expect(400);
      expect({ path, field: res.body.errors[0].field }).toEqual({ path, field });
    }
  });

  it('answers 4xx, not 500, for what the fuzz found (test/fuzz.e2e-spec.ts), and writes nothing', async () => {
    // GET /log took any integer as its cursor: PostgreSQL's bigint refused 1e21 with a 500.
    for (const after of ['1e21', '99999999999999999999', '9223372036854775808']) {
      const res = await request(t.http).get(`/log?after=${after}`).expect(400);
      expect({ after, errors: res.body.errors }).toEqual({
        after,
        errors: [expect.objectContaining({ field: 'after', problem: expect.stringMatching(/must not be greater/) })],
      });
    }
    // 36 hex digits and dashes, in a shape that is no UUID: PostgreSQL's uuid refused it with a 500.
    for (const id of ['------------------------------------', 'aaaaaaaa-aaaa-aaaa-aaaa-aaaaaaaaaaa-a']) {
      const res = await request(t.http).get(`/events/${id}`).expect(404);
      expect(res.body.errors[0].field).toBe('id');
    }
    // A topic with two items of one slug broke the items' primary key; an entry that was a list
    // passed ValidateNested unchecked. Both were 500s, rolled back.
    const topics = async () => Number((await t.dataSource.query('SELECT count(*) AS n FROM topics'))[0].n);
    const before = await topics();
    const item = { slug: 'twice', title: 'An item' };
    for (const [items, problem] of [
      [[item, { ...item, title: 'Again' }], /same slug/],
      [[item, [{ slug: 'nested', title: 'A list' }]], /each item must be an object/],
    ] as const) {
      const res = await request(t.http)
        .post('/topics')
        .set(t.auth)
        .send({ slug: 'fuzzed-topic', title: 'T', items })
        .expect(400);
      expect(res.body.errors).toEqual([
        expect.objectContaining({ field: 'items', problem: expect.stringMatching(problem) }),
      ]);
    }
    // A topic's phrase is said inside a sentence: one line, no space at either end; a party's plural is a boolean.
    for (const phrase of [' leading space', 'line\nbreak', '', 'x'.repeat(301), 7]) {
      const res = await request(t.http)
        .post('/topics')
        .set(t.auth)
        .send({ slug: 'fuzzed-topic', title: 'T', phrase })
        .expect(400);
      expect(res.body.errors.map((e: { field: string }) => e.field)).toEqual(expect.arrayContaining(['phrase']));
    }
    expect(await topics()).toBe(before);
    for (const plural of ['yes', 1, []]) {
      const res = await request(t.http)
        .post('/parties')
        .set(t.auth)
        .send({ slug: 'fuzzed-party', name: 'P', kind: 'state', plural })
        .expect(400);
      expect(res.body.errors).toEqual([expect.objectContaining({ field: 'plural' })]);
    }
    // A speaker's party of 100,000 characters was looked for among the parties for seconds (the fuzz's 10 s timeout).
    const speaker = await request(t.http)
      .post('/speakers')
      .set(t.auth)
      .send({ name: 'A', roles: [{ role: 'B' }], party: 'x'.repeat(100_000) })
      .expect(400);
    expect(speaker.body.errors).toEqual([
      expect.objectContaining({ field: 'party', problem: expect.stringMatching(/shorter/) }),
    ]);
  });

  it("checks a correction's changes as the fields they change: speaker, targets, text", async () => {
    const original = await request(t.http)
      .post('/events')
      .set(t.auth)
      .send(claim({ occurred: '2007-06-04' }))
      .expect(201);
    const correction = (changes: Record<string, unknown>) =>
      claim({
        type: 'correction',
        refersTo: original.body.event.id,
        occurred: '2007-11-02',
        reportedAt: '2007-11-02',
        targets: [],
        payload: { reason: 'a better report', changes },
        summary: 'Correction.',
      });
    await refused(correction({ speaker: 42 }), 'payload.changes.speaker', /must be an object/);
    await refused(correction({ speaker: { name: 'x'.repeat(200_000) } }), 'payload.changes.speaker.name', /shorter/);
    await refused(
      correction({ speaker: { name: 'A', rank: 'B' } }),
      'payload.changes.speaker.rank',
      /should not exist/,
    );
    await refused(correction({ targets: ['poland', 'poland'] }), 'payload.changes.targets', /same party twice/);
    await refused(correction({ summary: '' }), 'payload.changes.summary', /longer than or equal to 1/);
    const self = await request(t.http)
      .post('/events')
      .set(t.auth)
      .send(correction({ targets: ['russia'] }))
      .expect(422);
    expect(self.body.errors[0]).toMatchObject({ field: 'payload.changes.targets' });
    await request(t.http)
      .post('/events')
      .set(t.auth)
      .send(correction({ speaker: { name: 'Sergei Lavrov', role: 'Foreign Minister of Russia' } }))
      .expect(201);
  });

  it('accepts exactly "Bearer <token>": a token with anything after it is refused', async () => {
    for (const header of [
      `Bearer ${TEST_TOKEN} garbage`,
      `Bearer  ${TEST_TOKEN}`,
      `bearer ${TEST_TOKEN}`,
      TEST_TOKEN,
    ]) {
      const res = await request(t.http)
        .post('/events')
        .set('Authorization', header)
        .send(claim({ occurred: '2007-06-05' }));
      expect({ header, status: res.status }).toEqual({ header, status: 401 });
    }
  });

  it('refuses a source published after reportedAt, naming source.publishedAt, over HTTP and through the import, writing nothing', async () => {
    const late = claim({
      occurred: '2007-05-01',
      reportedAt: '2007-05-02',
      source: { publisher: 'P', title: 'T', publishedAt: '2007-06-02' },
    });
    const before = await eventCount();
    const res = await request(t.http).post('/events').set(t.auth).send(late).expect(422);
    expect(res.body.errors).toEqual([
      expect.objectContaining({
        field: 'source.publishedAt',
        problem: expect.stringContaining('2007-06-02 is after reportedAt (2007-05-02)'),
      }),
    ]);
    expect(await eventCount()).toBe(before);
    const file = join(mkdtempSync(join(tmpdir(), 'stance-published-')), 'events.jsonl');
    writeFileSync(file, JSON.stringify({ ...late, id: randomUUID() }) + '\n');
    const report = await t.app.get(BulkImporter).importFile(file);
    expect(report.recorded).toBe(0);
    expect(report.bad).toEqual([
      expect.objectContaining({
        line: 1,
        message: expect.stringMatching(/source\.publishedAt: 2007-06-02 is after reportedAt/),
      }),
    ]);
    expect(await eventCount()).toBe(before);
    // Published the day it was reported (a day from its start) is recorded.
    await request(t.http)
      .post('/events')
      .set(t.auth)
      .send({ ...late, reportedAt: '2007-06-02T10:00:00Z' })
      .expect(201);
  });

  it('reports an import line the boundary refuses by its number, and records the others', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'stance-boundary-')), 'events.jsonl');
    const lines = [
      claim({ id: randomUUID(), occurred: '2007-06-02' }),
      claim({ id: randomUUID(), quote: 'a\u0000b' }),
      claim({ id: randomUUID(), occurred: '2007-06-03' }),
    ];
    writeFileSync(file, lines.map((l) => JSON.stringify(l)).join('\n') + '\n');
    const before = await eventCount();
    const report = await t.app.get(BulkImporter).importFile(file);
    expect(report.recorded).toBe(2);
    expect(report.bad).toEqual([expect.objectContaining({ line: 2, message: expect.stringMatching(/quote: .*NUL/) })]);
    expect(await eventCount()).toBe(before + 2);

    // `npm run import` ends with exit code 2 when a line was not imported, naming how many.
    expect(importOutcome(report, 1)).toMatchObject({
      lines: expect.arrayContaining([expect.stringMatching(/^ {2}line 2: quote: /)]),
      failure: { exitCode: 2, message: expect.stringMatching(/1 of 3 lines were not imported/) },
    });
    await expect(t.app.get(BulkImporter).importFile(join(tmpdir(), 'no-such-file.jsonl'))).rejects.toThrow(/ENOENT/);
  });
});
