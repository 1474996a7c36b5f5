import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { SeedLoader, seedId } from '../src/diplomacy/seeds/seed-loader.js';
import { RecordEventCommand } from '../src/diplomacy/record-event/record-event.command.js';
import { seedCommand, type ArticleFile } from '../src/diplomacy/seeds/seed-files.js';
import { CommandBus } from '@nestjs/cqrs';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { claim, createTopic, record, startCatalogApp } from './support/scenario.js';
import { startTestApp, type TestApp } from './support/test-app.js';

const gabalaOffer = (overrides: Record<string, unknown> = {}) =>
  claim({
    type: 'proposal',
    payload: { item: 'azerbaijan-radar', terms: 'Russia offers data from the Gabala radar' },
    cameo: '036',
    ...overrides,
  });

const refusal = (refersTo: string, overrides: Record<string, unknown> = {}) =>
  claim({
    type: 'rejection',
    actor: 'united-states',
    targets: ['russia'],
    refersTo,
    occurred: '2007-07',
    payload: { reason: 'an alternative, not a complement' },
    summary: 'The US refuses the Russian radars as an alternative.',
    source: { publisher: 'X', title: 'Y', publishedAt: '2007-10-31' },
    ...overrides,
  });

/**
 * Readable event keys (DESIGN section 3): an event may carry a key, unique in its topic, that
 * other events name in refersTo and URLs read it by; the seed events expose theirs.
 */
describe('readable event keys', () => {
  let t: TestApp;
  let topic: string;
  beforeAll(async () => {
    t = await startCatalogApp();
    topic = await createTopic(t);
  });
  afterAll(() => t.close());

  const eventCount = async () => Number((await t.dataSource.query('SELECT count(*) AS n FROM events'))[0].n);

  it('lets a later event name an earlier one by its key, and stores the id', async () => {
    const offer = await record(t, gabalaOffer({ topic, key: 'putin-offers-gabala' }));
    expect(offer.event.key).toBe('putin-offers-gabala');
    const answer = await record(t, refusal('putin-offers-gabala', { topic }));
    expect(answer.event.refersTo).toBe(offer.event.id);
    const read = await request(t.http).get(`/topics/${topic}/events/putin-offers-gabala`).expect(200);
    const byId = await request(t.http).get(`/events/${offer.event.id}`).expect(200);
    expect(read.body).toEqual(byId.body);
    expect(read.body).toMatchObject({ id: offer.event.id, key: 'putin-offers-gabala' });
  });

  it('refuses a key taken in the topic with 409 naming it, and takes it in another topic', async () => {
    const other = await createTopic(t);
    await record(t, gabalaOffer({ topic, key: 'taken-once', occurred: '2007-06-01' }));
    const before = await eventCount();
    const clash = await request(t.http)
      .post('/events')
      .set(t.auth)
      .send(claim({ topic, key: 'taken-once', occurred: '2007-06-02' }))
      .expect(409);
    expect(clash.body.errors[0]).toMatchObject({ field: 'key' });
    expect(clash.body.message).toContain(`topic "${topic}" already has an event with key "taken-once"`);
    expect(await eventCount()).toBe(before);
    await record(t, claim({ topic: other, key: 'taken-once' }));
  });

  it('answers a retry of a keyed event as the first time, not as a clash', async () => {
    const body = claim({ id: randomUUID(), topic, key: 'sent-twice', occurred: '2007-06-03' });
    await request(t.http).post('/events').set(t.auth).send(body).expect(201);
    const again = await request(t.http).post('/events').set(t.auth).send(body).expect(200);
    expect(again.body.duplicate).toBe(true);
  });

  it('refuses a key nobody has, a key that reads as an id, and a malformed one, writing nothing', async () => {
    const before = await eventCount();
    const unknown = await request(t.http)
      .post('/events')
      .set(t.auth)
      .send(refusal('no-such-key', { topic }))
      .expect(422);
    expect(unknown.body.errors[0]).toEqual({
      field: 'refersTo',
      problem: `no event of topic "${topic}" has the key "no-such-key"`,
    });
    const uuidLike = await request(t.http)
      .post('/events')
      .set(t.auth)
      .send(claim({ topic, key: '0a1b2c3d-0000-4000-8000-000000000000' }))
      .expect(400);
    expect(uuidLike.body.errors[0]).toMatchObject({
      field: 'key',
      problem: expect.stringContaining('must not read as a UUID'),
    });
    const malformed = await request(t.http)
      .post('/events')
      .set(t.auth)
      .send(claim({ topic, key: 'Two Words' }))
      .expect(400);
    expect(malformed.body.errors[0]).toMatchObject({ field: 'key' });
    // A key names an event of the same topic only.
    const other = await createTopic(t);
    await request(t.http)
      .post('/events')
      .set(t.auth)
      .send(refusal('putin-offers-gabala', { topic: other }))
      .expect(422);
    expect(await eventCount()).toBe(before);
    await request(t.http).get(`/topics/${topic}/events/no-such-key`).expect(404);
    await request(t.http).get('/topics/no-such-topic/events/putin-offers-gabala').expect(404);
  });
});

describe('the seed events keys', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it('are shown by the API, and loading again records nothing', async () => {
    await t.app.get(SeedLoader).load();
    const loaded = await request(t.http)
      .get('/topics/missile-defense-europe/events/wp-2007-06-08.us-third-site-plan')
      .expect(200);
    expect(loaded.body.id).toBe(seedId('wp-2007-06-08/us-third-site-plan'));
    // Reported on 8 June 2007 (the Washington Post article): not known the day before.
    const before = await request(t.http)
      .get('/topics/missile-defense-europe/events/wp-2007-06-08.us-third-site-plan?knownAt=2007-06-07')
      .expect(404);
    expect(before.body.errors[0].field).toBe('knownAt');
    await request(t.http)
      .get(`/topics/missile-defense-europe/events/wp-2007-06-08.us-third-site-plan?knownAt=${loaded.body.reportedAt}`)
      .expect(200);
    const again = await t.app.get(SeedLoader).load();
    expect(again.recorded).toBe(0);
  });

  it('load over events recorded before keys existed', async () => {
    const fresh = await startTestApp();
    try {
      const dir = 'seeds/articles';
      const file = readdirSync(dir)
        .filter((f) => f.endsWith('.json'))
        .sort()[0];
      const article = JSON.parse(readFileSync(`${dir}/${file}`, 'utf8')) as ArticleFile;
      const loader = fresh.app.get(SeedLoader);
      // The catalog alone first (a seeds folder with no articles), then the first seed event as an
      // older Stance recorded it: without its key.
      const catalogOnly = mkdtempSync(join(tmpdir(), 'stance-catalog-'));
      mkdirSync(join(catalogOnly, 'articles'));
      copyFileSync('seeds/catalog.json', join(catalogOnly, 'catalog.json'));
      await loader.load(catalogOnly);
      const { key: _key, ...withoutKey } = seedCommand(article, article.events[0], seedId);
      await fresh.app.get(CommandBus).execute(new RecordEventCommand(withoutKey, undefined, 'seed:old'));
      const report = await loader.load();
      expect(report.alreadyThere).toBe(1);
      const stored = await request(fresh.http).get(`/events/${withoutKey.id}`).expect(200);
      expect(stored.body.key).toBeUndefined();
    } finally {
      await fresh.close();
    }
  });
});
