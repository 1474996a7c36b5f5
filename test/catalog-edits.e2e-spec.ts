import request from 'supertest';
import { claim, record, startCatalogApp } from './support/scenario.js';
import type { TestApp } from './support/test-app.js';

/**
 * PATCH /topics/:topic and PATCH /parties/:party: how a topic or a party is named may be set after
 * it was created (a topic made without its `phrase` read "had no standing position on Missile
 * shield talks" for good). Names are the catalog's, which has no dates: every answer, at any
 * date, says them as they are now; the log is not touched.
 */
describe('catalog edits: a topic and a party named anew', () => {
  let t: TestApp;
  const topic = 'missile-shield-talks';
  const party = 'g8-europeans';
  beforeAll(async () => {
    t = await startCatalogApp();
    await request(t.http)
      .post('/topics')
      .set(t.auth)
      .send({ slug: topic, title: 'Missile shield talks', items: [{ slug: 'shield', title: 'The shield' }] })
      .expect(201);
    await request(t.http)
      .post('/parties')
      .set(t.auth)
      .send({ slug: party, name: 'European G8 countries', kind: 'alliance' })
      .expect(201);
    await record(
      t,
      claim({
        topic,
        type: 'action',
        actor: party,
        targets: [],
        speaker: undefined,
        occurred: '2007-06-07',
        summary: 'The European G8 countries hold a briefing on the shield.',
        payload: { item: 'shield', act: 'hold a briefing on the shield' },
      }),
    );
  });
  afterAll(() => t.close());

  /** Its summary a year and a half on, when it names the topic: "had no standing position on T; it took the action …". */
  const summary = async () =>
    (await request(t.http).get(`/parties/${party}/positions?topic=${topic}&at=2008-12-01`).expect(200)).body
      .positions[0].summary as string;

  /** Everything a refused edit could have written: the catalog's rows and the log's length. */
  const rows = async () =>
    (
      await t.dataSource.query<{ digest: string }[]>(
        `SELECT (SELECT md5(string_agg(p::text, ',' ORDER BY p.slug)) FROM parties p) ||
                (SELECT md5(string_agg(x::text, ',' ORDER BY x.slug)) FROM topics x) ||
                (SELECT count(*) FROM events)::text AS digest`,
      )
    )[0].digest;

  it("sets a topic's phrase, and every answer, at any date, says the topic with it", async () => {
    expect(await summary()).toContain('position on Missile shield talks');
    const answer = await request(t.http)
      .patch(`/topics/${topic}`)
      .set(t.auth)
      .send({ phrase: 'the missile shield talks' })
      .expect(200);
    expect(answer.body).toMatchObject({
      slug: topic,
      title: 'Missile shield talks',
      phrase: 'the missile shield talks',
    });
    expect(answer.body.items.map((i: { slug: string }) => i.slug)).toEqual(['shield']);
    expect(await summary()).toContain('position on the missile shield talks');
    expect((await request(t.http).get(`/topics/${topic}`).expect(200)).body.phrase).toBe('the missile shield talks');
  });

  it('removes a phrase with null, and renames a topic', async () => {
    await request(t.http)
      .patch(`/topics/${topic}`)
      .set(t.auth)
      .send({ phrase: null, title: 'The shield talks' })
      .expect(200);
    expect(await summary()).toContain('position on the shield talks');
    const listed = (await request(t.http).get('/topics').expect(200)).body.find(
      (x: { slug: string }) => x.slug === topic,
    );
    expect(listed).toMatchObject({ title: 'The shield talks', phrase: null, events: 1 });
  });

  it('makes a party plural and renames it: summaries say "the" and "their" from then on', async () => {
    expect(await summary()).toMatch(/^As of 1 December 2008, European G8 countries had /);
    const answer = await request(t.http)
      .patch(`/parties/${party}`)
      .set(t.auth)
      .send({ plural: true, aliases: ['G8 Europeans'] })
      .expect(200);
    expect(answer.body).toMatchObject({
      slug: party,
      name: 'European G8 countries',
      plural: true,
      aliases: ['G8 Europeans'],
    });
    expect(await summary()).toMatch(/^As of 1 December 2008, the European G8 countries had /);
    await request(t.http).patch(`/parties/${party}`).set(t.auth).send({ name: 'Europeans of the G8' }).expect(200);
    expect(await summary()).toMatch(/^As of 1 December 2008, the Europeans of the G8 had /);
    expect((await request(t.http).get(`/parties/${party}`).expect(200)).body).toMatchObject({
      name: 'Europeans of the G8',
      plural: true,
      aliases: ['G8 Europeans'],
    });
  });

  it.each([
    ['an edit naming nothing', 'topics', {}, 400, 'body'],
    ['a misspelt field', 'topics', { phrse: 'the talks' }, 400, 'phrse'],
    ['a slug (it names the stream: it stays)', 'topics', { slug: 'other' }, 400, 'slug'],
    ['a phrase with a space at its end', 'topics', { phrase: 'the talks ' }, 400, 'phrase'],
    ['a phrase of two lines', 'topics', { phrase: 'the\ntalks' }, 400, 'phrase'],
    ['a blank title', 'topics', { title: '   ' }, 400, 'title'],
    ['a title of two lines', 'topics', { title: 'Line one\nline two' }, 400, 'title'],
    ['a title with a space at its start', 'topics', { title: ' padded' }, 400, 'title'],
    ['a name with a tab', 'parties', { name: 'tab\there' }, 400, 'name'],
    ['a name with a space at its end', 'parties', { name: 'Poland ' }, 400, 'name'],
    ['an alias of two lines', 'parties', { aliases: ['a\nb'] }, 400, 'aliases'],
    ['a title of 301 characters', 'topics', { title: 'x'.repeat(301) }, 400, 'title'],
    ['a null title', 'topics', { title: null }, 400, 'title'],
    ['a null description', 'topics', { description: null }, 400, 'description'],
    ['a null name', 'parties', { name: null }, 400, 'name'],
    ['null aliases', 'parties', { aliases: null }, 400, 'aliases'],
    ['a plural that is no boolean', 'parties', { plural: 'yes' }, 400, 'plural'],
    ['a blank alias', 'parties', { aliases: ['ok', ''] }, 400, 'aliases'],
    ['a kind (it stays)', 'parties', { kind: 'state' }, 400, 'kind'],
    ['a parent (it stays)', 'parties', { parent: 'russia' }, 400, 'parent'],
  ])('refuses %s with a 4xx naming the field, and writes nothing', async (_, path, body, status, field) => {
    const before = await rows();
    const slug = path === 'topics' ? topic : party;
    const answer = await request(t.http).patch(`/${path}/${slug}`).set(t.auth).send(body).expect(status);
    expect(answer.body.errors.map((e: { field: string }) => e.field)).toContain(field);
    expect(await rows()).toBe(before);
  });

  it('answers 404 with suggestions for an unknown topic or party, and 401 without the token', async () => {
    const before = await rows();
    const unknown = await request(t.http)
      .patch('/topics/missile-shield-talk')
      .set(t.auth)
      .send({ phrase: 'x' })
      .expect(404);
    expect(unknown.body.suggestions).toContain(topic);
    await request(t.http).patch('/parties/g8-european').set(t.auth).send({ plural: false }).expect(404);
    await request(t.http).patch(`/topics/${topic}`).send({ phrase: 'the talks' }).expect(401);
    expect(await rows()).toBe(before);
  });

  it('takes a new party whose parent is null as one with none (it was a 500)', async () => {
    const answer = await request(t.http)
      .post('/parties')
      .set(t.auth)
      .send({ slug: 'observers', name: 'Observers', kind: 'organisation', parent: null })
      .expect(201);
    expect(answer.body).toMatchObject({ slug: 'observers', parent: null });
  });
});
