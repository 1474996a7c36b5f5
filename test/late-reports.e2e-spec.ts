import { randomUUID } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { BulkImporter } from '../src/diplomacy/import/bulk-import.service.js';
import { PositionProjection } from '../src/diplomacy/projection/position.projection.js';
import {
  claim,
  createTopic,
  record,
  reportOf,
  RUSSIA_TO_US,
  US_TO_RUSSIA,
  startCatalogApp,
  withCards,
} from './support/scenario.js';
import type { TestApp } from './support/test-app.js';

/**
 * A report that arrives late is true of its own date (docs/architecture.md, "Late reports"):
 * POST /events and the import decide it against the topic as it stood then, and refuse one that
 * a later recorded event contradicts, naming that event.
 */
describe('late reports, over HTTP and through the import', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startCatalogApp();
  });
  afterAll(() => t.close());

  const source = reportOf;
  const us = US_TO_RUSSIA;

  /** The US plan (2007), its offer of observers on a sub-item (October 2007), the plan withdrawn (17 September 2009). */
  async function planEndedIn2009(topic: string) {
    await record(
      t,
      claim({
        topic,
        ...us,
        key: 'plan',
        type: 'proposal',
        occurred: '2007-01-22',
        source: source('2007-01-23'),
        payload: { item: 'us-third-site', terms: 'ten interceptors in Poland' },
      }),
    );
    await record(
      t,
      claim({
        topic,
        ...us,
        key: 'observers',
        type: 'proposal',
        occurred: '2007-10-13',
        source: source('2007-10-14'),
        payload: {
          item: 'site-observers',
          itemTitle: 'Russian observers',
          itemParent: 'us-third-site',
          terms: 'observers',
        },
      }),
    );
    await record(
      t,
      claim({
        topic,
        ...us,
        type: 'withdrawal',
        refersTo: 'plan',
        occurred: '2009-09-17',
        source: source('2009-09-17'),
        payload: { reason: 'a phased approach instead' },
      }),
    );
  }

  const backDown = (topic: string, id = randomUUID()) =>
    claim({
      id,
      topic,
      ...us,
      type: 'concession',
      refersTo: 'observers',
      occurred: '2008-03-01',
      source: source('2010-01-05'),
      summary: 'The United States dropped its offer of observers in March 2008.',
      payload: { terms: 'no observers after all' },
    });

  const position = async (topic: string, at: string) =>
    withCards(
      (await request(t.http).get(`/parties/united-states/positions?topic=${topic}&at=${at}&history=all`).expect(200))
        .body,
    )[0];

  it('records a back-down dated before the plan ended, reported after: the offer closes as conceded then, not moot', async () => {
    const topic = await createTopic(t);
    await planEndedIn2009(topic);
    const before = await position(topic, '2009-09-18');
    expect(before.closed.find((c: { status: string }) => c.status === 'moot')).toBeDefined();

    const recorded = await record(t, backDown(topic));
    const concession = recorded.event.id;
    // Before the back-down the offer is open; from it on, conceded with that event; the plan's end moots it no more.
    expect((await position(topic, '2008-02-29')).openProposals.map((p: { item: string }) => p.item)).toContain(
      'site-observers',
    );
    for (const at of ['2008-03-01', '2009-09-18']) {
      const closed = (await position(topic, at)).closed.filter((c: { item?: string }) => c.item === 'site-observers');
      expect(closed).toEqual([
        expect.objectContaining({ status: 'conceded', closed: expect.objectContaining({ on: '2008-03-01' }) }),
      ]);
      expect(JSON.stringify(closed)).toContain(concession);
    }
    // As publicly known before the report (5 January 2010), the offer was still moot.
    const known = withCards(
      (
        await request(t.http)
          .get(`/parties/united-states/positions?topic=${topic}&at=2009-09-18&knownAt=2009-12-31&history=all`)
          .expect(200)
      ).body,
    )[0];
    expect(known.closed.filter((c: { item?: string }) => c.item === 'site-observers')).toEqual([
      expect.objectContaining({ status: 'moot' }),
    ]);
    // And what the writer stored is what a rebuild of the topic stores.
    const answers = () =>
      Promise.all(
        ['2008-02-29', '2008-03-01', '2009-09-18'].map(
          async (at) => (await request(t.http).get(`/topics/${topic}/positions?at=${at}&history=all`).expect(200)).body,
        ),
      );
    const inline = await answers();
    await t.dataSource.transaction((manager) => t.app.get(PositionProjection).rebuildTopic(manager, topic));
    expect(await answers()).toEqual(inline);
  });

  it('refuses a withdrawal dated before the signing of what it withdraws, naming the signing, and writes nothing', async () => {
    const topic = await createTopic(t);
    await record(
      t,
      claim({
        topic,
        actor: 'russia',
        targets: ['united-states'],
        key: 'offer',
        type: 'proposal',
        occurred: '2007-06-07',
        source: source('2007-06-08'),
        payload: { item: 'azerbaijan-radar', terms: 'joint use of the Gabala radar' },
      }),
    );
    const signing = await record(
      t,
      claim({
        topic,
        ...us,
        speaker: undefined,
        type: 'agreement',
        refersTo: 'offer',
        occurred: '2007-08-01',
        source: source('2007-08-01'),
        payload: { terms: 'joint use of the Gabala radar' },
      }),
    );
    const late = claim({
      topic,
      actor: 'russia',
      targets: ['united-states'],
      type: 'withdrawal',
      refersTo: 'offer',
      occurred: '2007-07-20',
      source: source('2007-09-01'),
      payload: {},
    });
    const res = await request(t.http).post('/events').set(t.auth).send(late).expect(422);
    expect(res.body.errors).toEqual([
      {
        field: 'occurred',
        // Said from the side of the withdrawal being posted: what it would do, before which later event.
        problem: expect.stringMatching(
          new RegExp(
            `^this withdrawal \\(20 July 2007\\) would withdraw the proposal \\S+ before the later agreement by united-states ` +
              `\\(event ${signing.event.id}, 1 August 2007\\) that signs it, which then could not stand: `,
          ),
        ),
      },
    ]);
    expect(res.body.detail ?? res.body.message ?? JSON.stringify(res.body)).toContain('is not open (withdrawn)');
    const events = await request(t.http).get(`/events?topic=${topic}`).expect(200);
    expect(events.body.events).toHaveLength(2);
  });

  it("refuses a proposal dated before another party's proposal of the same item, saying so from the poster's side, and writes nothing", async () => {
    const topic = await createTopic(t);
    const site = await record(
      t,
      claim({
        topic,
        ...us,
        type: 'proposal',
        occurred: '2007-01-22',
        source: source('2007-01-23'),
        payload: { item: 'us-third-site', terms: 'ten interceptors in Poland' },
      }),
    );
    const late = claim({
      topic,
      actor: 'russia',
      targets: ['united-states'],
      type: 'proposal',
      occurred: '2007-01-10',
      source: source('2007-02-01'),
      payload: { item: 'us-third-site', terms: 'a site we would share' },
    });
    const res = await request(t.http).post('/events').set(t.auth).send(late).expect(422);
    expect(res.body.conflictsWith).toBe(site.event.id);
    expect(res.body.errors).toEqual([
      {
        field: 'occurred',
        problem:
          `this proposal of "us-third-site" (10 January 2007) would come before the later proposal of the same item ` +
          `by united-states (event ${site.event.id}, 22 January 2007), which then could not stand: an item is the ` +
          `first proposer's, and united-states could then only endorse it, agree to it or state a stance on it; ` +
          'retract or correct one of them',
      },
    ]);
    // Not the US proposal's problem read back to front ("was proposed by russia; united-states can ...").
    expect(res.body.message).not.toContain('was proposed by');
    const events = await request(t.http).get(`/events?topic=${topic}`).expect(200);
    expect(events.body.events).toHaveLength(1);
  });

  it('decides the same lines alike through the import: the back-down recorded, the contradicted withdrawal refused by line', async () => {
    const topic = await createTopic(t);
    await planEndedIn2009(topic);
    const lines = join(mkdtempSync(join(tmpdir(), 'stance-late-')), 'events.jsonl');
    const withdrawObservers = claim({
      id: randomUUID(),
      topic,
      ...us,
      type: 'withdrawal',
      refersTo: 'observers',
      occurred: '2008-01-10',
      source: source('2010-02-01'),
      payload: {},
    });
    writeFileSync(lines, [backDown(topic), withdrawObservers].map((l) => JSON.stringify(l)).join('\n'));
    const report = await t.app.get(BulkImporter).importFile(lines);
    expect(report.recorded).toBe(1);
    // The withdrawal in January 2008 would come before the back-down of March 2008, which could not follow it.
    expect(report.bad).toEqual([
      {
        line: 2,
        message: expect.stringMatching(
          /^occurred: this withdrawal \(10 January 2008\) would withdraw the proposal \S+ before the later concession by united-states \(event \S+, 1 March 2008\) that backs down on it, which then could not stand: .* is no longer open \(withdrawn\)/,
        ),
      },
    ]);
    const closed = (await position(topic, '2009-09-18')).closed.filter(
      (c: { item?: string }) => c.item === 'site-observers',
    );
    expect(closed).toEqual([
      expect.objectContaining({ status: 'conceded', closed: expect.objectContaining({ on: '2008-03-01' }) }),
    ]);
  });

  it('checks an answer against what it answers as corrected, over HTTP and through the import', async () => {
    // Given a proposal first dated 1 March 2010, corrected to 10 January
    const topic = await createTopic(t);
    const proposal = (
      await record(
        t,
        claim({
          topic,
          ...us,
          key: 'offer',
          type: 'proposal',
          occurred: '2010-03-01',
          source: source('2010-03-02'),
          payload: { item: 'us-third-site', terms: 'ten interceptors' },
        }),
      )
    ).event.id;
    await record(
      t,
      claim({
        topic,
        ...us,
        type: 'correction',
        refersTo: 'offer',
        occurred: '2010-03-03',
        source: source('2010-03-03'),
        payload: { reason: 'the source gave the wrong date', changes: { occurred: '2010-01-10' } },
      }),
    );
    const signing = (day: string) =>
      claim({
        id: randomUUID(),
        topic,
        actor: 'poland',
        targets: ['united-states'],
        speaker: undefined,
        type: 'agreement',
        refersTo: proposal,
        occurred: day,
        source: source('2010-03-04'),
        payload: { terms: 'ten interceptors' },
      });
    // When Poland's signing dated 1 February (between the two dates) is posted, then it is recorded
    await record(t, signing('2010-02-01'));
    // And the import decides alike: an answer dated 20 January too is recorded, one dated 5 January is not
    const lines = join(mkdtempSync(join(tmpdir(), 'stance-corrected-')), 'events.jsonl');
    writeFileSync(lines, [signing('2010-01-20'), signing('2010-01-05')].map((l) => JSON.stringify(l)).join('\n'));
    const report = await t.app.get(BulkImporter).importFile(lines);
    expect(report.recorded).toBe(1);
    expect(report.bad).toEqual([
      { line: 2, message: expect.stringContaining('would end before the event it answers began (2010-01-10)') },
    ]);
  });
  it('refuses a correction that would put a withdrawal before the signing of what it withdraws, as the late withdrawal is, writing nothing; the import refuses the same line', async () => {
    // Given the US plan (1 January 2021), Russia's signing of it (10 January), its withdrawal (20 January)
    const topic = await createTopic(t);
    const plan = await record(
      t,
      claim({
        topic,
        ...us,
        speaker: undefined,
        targets: ['russia', 'poland'],
        key: 'plan',
        type: 'proposal',
        occurred: '2021-01-01',
        source: source('2021-01-01'),
        payload: { item: 'us-third-site', terms: 'ten interceptors' },
      }),
    );
    const signing = await record(
      t,
      claim({
        topic,
        actor: 'russia',
        targets: ['united-states'],
        speaker: undefined,
        type: 'agreement',
        refersTo: 'plan',
        occurred: '2021-01-10',
        source: source('2021-01-10'),
        payload: { terms: 'ten interceptors' },
      }),
    );
    await record(
      t,
      claim({
        topic,
        ...us,
        speaker: undefined,
        targets: ['russia', 'poland'],
        key: 'withdrawal',
        type: 'withdrawal',
        refersTo: 'plan',
        occurred: '2021-01-20',
        source: source('2021-01-20'),
        payload: {},
      }),
    );
    const head = async () => (await request(t.http).get('/health').expect(200)).body.info.chain;
    const count = async () => (await request(t.http).get(`/events?topic=${topic}`).expect(200)).body.events.length;
    const [headBefore, countBefore] = [await head(), await count()];
    // When a correction moves the withdrawal to 5 January
    const correction = claim({
      id: randomUUID(),
      topic,
      ...us,
      speaker: undefined,
      targets: [],
      type: 'correction',
      refersTo: 'withdrawal',
      occurred: '2021-01-21',
      source: source('2021-01-21'),
      payload: { reason: 'the source gave the wrong date', changes: { occurred: '2021-01-05' } },
    });
    const res = await request(t.http).post('/events').set(t.auth).send(correction).expect(422);
    // Then it is refused on the new date, naming the signing it would contradict, and nothing is written
    expect(res.body.errors).toEqual([
      {
        field: 'payload.changes.occurred',
        // Said from the side of the correction's event: what it would do, and to which later event.
        problem: expect.stringContaining(
          `(5 January 2021) would withdraw the proposal ${plan.event.id} before the later agreement by russia ` +
            `(event ${signing.event.id}, 10 January 2021) that signs it, which then could not stand: the proposal`,
        ),
      },
    ]);
    expect(res.body.conflictsWith).toBe(signing.event.id);
    expect(await head()).toEqual(headBefore);
    expect(await count()).toBe(countBefore);
    // The import decides the same line alike.
    const lines = join(mkdtempSync(join(tmpdir(), 'stance-correction-')), 'events.jsonl');
    writeFileSync(lines, JSON.stringify(correction));
    const report = await t.app.get(BulkImporter).importFile(lines);
    expect(report.recorded).toBe(0);
    expect(report.bad).toEqual([
      {
        line: 1,
        message: expect.stringMatching(
          /^payload\.changes\.occurred: corrected so, the withdrawal .* would withdraw the proposal \S+ before the later agreement by russia .* that signs it, which then could not stand: .* is not open \(withdrawn\)/,
        ),
      },
    ]);
    expect(await head()).toEqual(headBefore);
    expect(await count()).toBe(countBefore);
  });
  it('lists, not counts, an answer known before what it answers was reported: as known in between, it answers nothing public yet', async () => {
    const topic = await createTopic(t);
    // Russia's offer, dated January 2021, reported on 20 January; the United States rejected it on 5
    // January, reported on 6 January.
    await record(
      t,
      claim({
        topic,
        ...RUSSIA_TO_US,
        key: 'offer',
        type: 'proposal',
        occurred: '2021-01',
        source: source('2021-01-20'),
        payload: { item: 'us-third-site', terms: 'a deal' },
      }),
    );
    const {
      event: { id: rejection },
    } = await record(
      t,
      claim({
        topic,
        ...us,
        type: 'rejection',
        refersTo: 'offer',
        occurred: '2021-01-05',
        source: source('2021-01-06'),
        payload: { reason: 'a bad deal' },
      }),
    );
    const full = async (query: string) =>
      withCards(
        (await request(t.http).get(`/parties/united-states/positions?topic=${topic}&${query}`).expect(200)).body,
      )[0];
    const before = await full('at=2021-01-21&knownAt=2021-01-10');
    expect(before.possiblyInEffect.map((e: { eventId: string }) => e.eventId)).toEqual([rejection]);
    expect(before.lastChange).toBeNull();
    expect(before.responses).toEqual([]);
    expect(before.summary).toContain('had taken no recorded position');
    expect(before.summary).toContain('1 event involving the United States, not counted yet');
    // The compact line, the topic's positions and the changes say the same.
    const compact = (
      await request(t.http).get('/parties/united-states/positions?at=2021-01-21&knownAt=2021-01-10').expect(200)
    ).body.positions.find((p: { topic: string }) => p.topic === topic);
    expect(compact).toMatchObject({ lastChange: null, counts: { possiblyInEffect: 1, responses: 0 } });
    const ofTopic = withCards(
      (await request(t.http).get(`/topics/${topic}/positions?at=2021-01-21&knownAt=2021-01-10`).expect(200)).body,
    );
    const us_ = ofTopic.find((p: { party: string }) => p.party === 'united-states');
    expect(us_.possiblyInEffect.map((e: { eventId: string }) => e.eventId)).toEqual([rejection]);
    const changes = await request(t.http)
      .get(`/parties/united-states/changes?topic=${topic}&from=2021-01-01&to=2021-01-21&knownAt=2021-01-10`)
      .expect(200);
    expect(changes.body.topics).toEqual([]);
    // Once the offer was reported, the rejection counts.
    const after = await full('at=2021-01-21&knownAt=2021-01-21');
    expect(after.possiblyInEffect).toEqual([]);
    expect(after.lastChange.eventId).toBe(rejection);
    expect(JSON.stringify(after.responses)).toContain(rejection);
  });
});
