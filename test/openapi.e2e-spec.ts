import { Validator } from '@seriousme/openapi-schema-validator';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { execFile } from 'node:child_process';
import { rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import request from 'supertest';
import { EVENT_TYPES } from '../src/diplomacy/domain/events/events.js';
import { checkPayload } from '../src/diplomacy/domain/events/payloads.js';
import { HAND_EXAMPLES } from '../src/diplomacy/record-event/record-event.examples.js';
import { eventBodyName } from '../src/diplomacy/record-event/record-event.schema.js';
import { addBodyFormats, checkRecordEventBody } from '../src/diplomacy/record-event/record-event.validation.js';
import { readArticles, seedBody } from '../src/diplomacy/seeds/seed-files.js';
import { SeedLoader } from '../src/diplomacy/seeds/seed-loader.js';
import { startTestApp, TEST_TOKEN, type TestApp } from './support/test-app.js';
import { startCatalogApp } from './support/scenario.js';
import { tour } from '../client/usage.js';

interface Operation {
  requestBody?: { content: Record<string, { schema: object; examples?: Record<string, { value: unknown }> }> };
  responses: Record<string, { content?: Record<string, { schema: object }> }>;
}
interface Document {
  openapi: string;
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, object> };
}
const METHODS = ['get', 'post', 'put', 'patch', 'delete'];
const TOPIC = 'missile-defense-europe';

/**
 * The API's OpenAPI document (issue 17): a valid OpenAPI 3.1 document, checked by a validator; each
 * event type's body as its own schema with an example; and answer schemas that the seeded app's
 * real answers validate against (ajv, with the formats the body validator uses).
 */
describe('the OpenAPI document at /docs-json', () => {
  let t: TestApp;
  let document: Document;
  let ajv: Ajv2020;

  /** The schema at a place in the document, compiled once. */
  const validatorAt = (pointer: string) => {
    const id = `api#${pointer}`;
    return ajv.getSchema(id) ?? ajv.compile({ $ref: id });
  };
  const escape = (part: string) => part.replace(/~/g, '~0').replace(/\//g, '~1');
  const operationAt = (method: string, path: string) => document.paths[path][method];

  /** Checks an answer against the schema the document gives for its status (or `default`). */
  function expectDocumented(method: string, path: string, res: request.Response): void {
    const responses = operationAt(method, path).responses;
    const status = String(res.status) in responses ? String(res.status) : 'default';
    expect(responses[status]?.content?.['application/json']).toBeDefined();
    const validate = validatorAt(
      `/paths/${escape(path)}/${method}/responses/${status}/content/${escape('application/json')}/schema`,
    );
    const valid = validate(res.body);
    if (!valid) throw new Error(`${method} ${path} ${res.status}: ${JSON.stringify(validate.errors?.slice(0, 5))}`);
  }
  const bodyValidator = () =>
    validatorAt(`/paths/${escape('/events')}/post/requestBody/content/${escape('application/json')}/schema`);
  const branchValidator = (type: (typeof EVENT_TYPES)[number]) =>
    validatorAt(`/components/schemas/${eventBodyName(type)}`);

  beforeAll(async () => {
    t = await startTestApp();
    await t.app.get(SeedLoader).load();
    document = (await request(t.http).get('/docs-json').expect(200)).body;
    ajv = new Ajv2020({ allErrors: true, strict: false });
    addBodyFormats(ajv);
    addFormats.default(ajv, ['date-time']);
    ajv.addSchema(document, 'api');
  });
  afterAll(() => t.close());

  it('validates as OpenAPI 3 and documents every route of the API', async () => {
    expect(document.openapi).toMatch(/^3\.1/);
    // Checked against the OpenAPI 3 JSON Schema, every $ref resolved.
    const validator = new Validator();
    const result = await validator.validate(structuredClone(document) as unknown as Record<string, unknown>);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    expect(() => validator.resolveRefs()).not.toThrow();
    expect(Object.keys(document.paths)).toEqual(
      expect.arrayContaining([
        '/events',
        '/events/{id}',
        '/topics/{topic}/events/{key}',
        '/parties/{party}/positions',
        '/topics/{topic}/positions',
        '/topics/{topic}/replay',
        '/log',
        '/health',
      ]),
    );
  });

  it('gives every operation a schema for its success answer and the problem shape for its errors', () => {
    let operations = 0;
    for (const [path, item] of Object.entries(document.paths)) {
      for (const method of METHODS.filter((m) => item[m])) {
        operations++;
        const responses = item[method].responses;
        const success = Object.keys(responses).filter((status) => /^2\d\d$/.test(status));
        expect(success.length).toBeGreaterThan(0);
        for (const status of success) {
          const content = responses[status].content ?? {};
          // A file (the exports): streamed text, in each media type it may have.
          if (path.startsWith('/export/') && !content['application/json']) {
            expect(Object.keys(content).length).toBeGreaterThan(0);
            for (const type of Object.keys(content)) expect(content[type].schema).toEqual({ type: 'string' });
            continue;
          }
          expect({ path, method, status, schema: content['application/json']?.schema }).toEqual({
            path,
            method,
            status,
            schema: expect.objectContaining({ $ref: expect.stringMatching(/^#\/components\/schemas\//) }),
          });
        }
        for (const status of Object.keys(responses).filter((s) => !/^2/.test(s)))
          expect(responses[status].content?.['application/json']?.schema).toEqual({
            $ref: '#/components/schemas/ProblemAnswer',
          });
        expect(responses.default).toBeDefined();
      }
    }
    expect(operations).toBeGreaterThanOrEqual(19);
  });

  it('describes the body of POST /events as one schema per event type, told apart by `type`', () => {
    const schema = operationAt('post', '/events').requestBody!.content['application/json'].schema;
    expect(schema).toEqual({
      oneOf: EVENT_TYPES.map((type) => ({ $ref: `#/components/schemas/${eventBodyName(type)}` })),
      discriminator: {
        propertyName: 'type',
        mapping: Object.fromEntries(EVENT_TYPES.map((type) => [type, `#/components/schemas/${eventBodyName(type)}`])),
      },
    });
  });

  it('shows an example of each event type, a seed event where the corpus has one, that the API accepts', async () => {
    const examples = operationAt('post', '/events').requestBody!.content['application/json'].examples!;
    expect(Object.keys(examples)).toEqual([...EVENT_TYPES]);
    const seeds = (await readArticles('seeds')).flatMap(({ article }) =>
      article.events.map((e) => seedBody(article, e)),
    );
    for (const type of EVENT_TYPES) {
      const example = examples[type].value as ReturnType<typeof seedBody>;
      expect(example.type).toBe(type);
      // From the corpus when it has the type; otherwise the hand-written one.
      const seed = seeds.find((body) => body.type === type);
      expect(example).toEqual(seed ?? HAND_EXAMPLES[type]);
      const checked = checkRecordEventBody(example);
      expect(checked.ok).toBe(true);
      expect(checkPayload(type, example.payload)).toEqual([]);
      expect(bodyValidator()(example)).toBe(true);
      expect(branchValidator(type)(example)).toBe(true);
    }
  });

  it('records the hand-written examples on the seeded app, as a client would send them', async () => {
    expect(Object.keys(HAND_EXAMPLES).length).toBeGreaterThan(0);
    for (const example of Object.values(HAND_EXAMPLES)) {
      const res = await request(t.http).post('/events').set(t.auth).send(example);
      expect({ status: res.status, body: res.body }).toEqual({ status: 201, body: expect.anything() });
      expectDocumented('post', '/events', res);
    }
  });

  it('agrees with the validator on every seed event, each valid for its own type only, and on a wrong payload field', async () => {
    const seeds = (await readArticles('seeds')).flatMap(({ article }) =>
      article.events.map((e) => seedBody(article, e)),
    );
    expect(seeds.length).toBeGreaterThan(60);
    for (const body of seeds) {
      expect(checkRecordEventBody(body).ok).toBe(true);
      expect(branchValidator(body.type)(body)).toBe(true);
      expect(bodyValidator()(body)).toBe(true);
      const other = EVENT_TYPES.find((type) => type !== body.type)!;
      expect(branchValidator(other)(body)).toBe(false);
    }
    const proposal = seeds.find((body) => body.type === 'proposal')!;
    const wrong = { ...proposal, key: undefined, payload: { ...proposal.payload, reason: 'not a proposal field' } };
    expect(bodyValidator()(wrong)).toBe(false);
    expect(checkPayload('proposal', wrong.payload).map((p) => p.field)).toEqual(['payload.reason']);
    const res = await request(t.http).post('/events').set(t.auth).send(wrong).expect(400);
    expect(res.body.errors).toEqual([expect.objectContaining({ field: 'payload.reason' })]);
    expectDocumented('post', '/events', res);
  });

  it("answers as documented: the seeded app's real answers validate against their schemas", async () => {
    const get = async (path: string, url: string, status = 200) => {
      const res = await request(t.http).get(url).expect(status);
      expectDocumented('get', path, res);
      return res;
    };
    const compact = await get('/parties/{party}/positions', '/parties/russia/positions');
    expect(compact.body.detail).toBe('compact');
    expect(compact.body.positions.length).toBeGreaterThan(0);
    const full = await get('/parties/{party}/positions', '/parties/russia/positions?detail=full&history=all');
    expect(full.body.positions[0].openProposals).toBeDefined();
    await get(
      '/parties/{party}/positions',
      `/parties/russia/positions?topic=${TOPIC}&at=2007-10-31&knownAt=2007-10-31`,
    );
    await get('/topics/{topic}/positions', `/topics/${TOPIC}/positions?at=2008-04-03`);
    await get('/parties/{party}/changes', '/parties/russia/changes?from=2007-01-01&to=2008-05-01');
    await get('/topics/{topic}/replay', `/topics/${TOPIC}/replay`);
    const events = await get('/events', '/events?limit=200');
    expect(events.body.events.length).toBeGreaterThan(60);
    const corrected = events.body.events.find((e: { status: string }) => e.status !== 'recorded');
    expect(corrected).toBeDefined(); // the hand-written correction and retraction, recorded above
    await get('/events/{id}', `/events/${corrected.id}`);
    await get('/topics/{topic}/events/{key}', `/topics/${TOPIC}/events/wp-2007-06-08.us-third-site-plan`);
    await get('/log', '/log?limit=500');
    await get('/health', '/health');
    await get('/export/datapackage.json', '/export/datapackage.json?knownAt=2007-12-31');
    await get('/parties', '/parties');
    await get('/parties/{party}', '/parties/russia');
    await get('/speakers', '/speakers');
    await get('/topics', '/topics');
    await get('/topics/{topic}', `/topics/${TOPIC}`);
    // Errors: the problem shape, on each documented status.
    await get('/parties/{party}/positions', '/parties/rusia/positions', 404);
    await get('/events/{id}', '/events/00000000-0000-4000-8000-000000000000', 404);
    await get('/parties/{party}/positions', '/parties/russia/positions?at=yesterday', 400);
    await get('/parties/{party}/changes', '/parties/russia/changes', 400);
  });

  it('documents the answers of writes: POST /events (201, 200, 400, 401, 409, 422) and the catalog (201, 409)', async () => {
    const post = async (path: string, body: object, status: number, auth = true, query = '') => {
      const res = await request(t.http)
        .post(path.replace('{topic}', TOPIC) + query)
        .set(auth ? t.auth : {})
        .send(body);
      expect({ path, status: res.status, body: res.body }).toEqual({ path, status, body: expect.anything() });
      expectDocumented('post', path, res);
      return res;
    };
    const statement = {
      topic: TOPIC,
      type: 'statement',
      actor: 'russia',
      targets: ['united-states'],
      occurred: '2008-05-01',
      source: { publisher: 'Example Wire', title: 'Russia repeats its stance', publishedAt: '2008-05-02' },
      summary: 'Russia repeats that it opposes the third site.',
      payload: { item: 'us-third-site', stance: 'opposes' },
      id: '0d5f4c57-8c2b-4b43-9d55-0d8e3f3e3a01',
    };
    await post('/events', statement, 201, true, '?include=positions');
    await post('/events', statement, 200, true, '?include=positions');
    await post('/events', { ...statement, summary: 'Another request, same id.' }, 409);
    await post('/events', { ...statement, id: undefined, actor: 'atlantis' }, 422);
    await post('/events', { ...statement, id: undefined, occurred: 7 }, 400);
    await post('/events', statement, 401, false);
    await post('/parties', { slug: 'atlantis', name: 'Atlantis', kind: 'state' }, 201);
    await post('/parties', { slug: 'atlantis', name: 'Atlantis', kind: 'state' }, 409);
    await post(
      '/speakers',
      { name: 'Ann Example', party: 'atlantis', roles: [{ role: 'Envoy', from: '2008-01-01' }] },
      201,
    );
    await post(
      '/topics',
      { slug: 'atlantis-talks', title: 'Atlantis talks', items: [{ slug: 'atlantis-base', title: 'A base' }] },
      201,
    );
    await post('/topics/{topic}/items', { slug: 'fresh-item', title: 'A fresh item' }, 201);
  });

  it('has a typed client generated from this document (client/stance-api.d.ts): up to date, and a client using it compiles', async () => {
    const run = promisify(execFile);
    const file = join(tmpdir(), `stance-docs-${process.pid}.json`);
    await writeFile(file, JSON.stringify(document));
    try {
      // The committed types are what openapi-typescript makes of the served document today...
      await run(process.execPath, ['scripts/client.mjs', '--from', file, '--check']);
    } finally {
      await rm(file, { force: true });
    }
    // ...and a client written against them (client/usage.ts, with the mistakes they must refuse) type-checks.
    await run(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'client/tsconfig.json']);
  }, 60_000);
});

describe('the typed client (client/usage.ts)', () => {
  it('uses every route of the API against a running server, each answer as its type says', async () => {
    const t = await startCatalogApp();
    try {
      // The tour's example proposal is addressed to the Czech Republic too, which the small catalog lacks.
      await request(t.http)
        .post('/parties')
        .set(t.auth)
        .send({ slug: 'czech-republic', name: 'Czech Republic', kind: 'state' })
        .expect(201);
      await t.app.listen(0, '127.0.0.1');
      const seen = await tour(await t.app.getUrl(), TEST_TOKEN);
      expect(seen).toEqual(
        expect.arrayContaining([
          expect.stringMatching(/^log: \d+ events/),
          'party: New Party',
          'party renamed: plural true',
          'topic phrased: a new topic',
          expect.stringMatching(/^speakers: \d+, Spokesperson$/),
          expect.stringMatching(/^events: \d+; recorded; 0 reports$/),
          expect.stringMatching(/^side by side: /),
          'health: ok',
        ]),
      );
    } finally {
      await t.close();
    }
  });
});
