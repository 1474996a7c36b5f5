import request from 'supertest';
import { PositionProjection } from '../src/diplomacy/projection/position.projection.js';
import { claim, createTopic, record, startCatalogApp, withCards } from './support/scenario.js';
import type { TestApp } from './support/test-app.js';

/**
 * A treaty signed by two governments is one event (DESIGN section 3): both positions show it, the
 * proposer may sign its own plan with the host, and a formal signing is coded 057.
 */
describe('an agreement with co-signers', () => {
  let t: TestApp;
  let topic: string;
  beforeAll(async () => {
    t = await startCatalogApp();
    topic = await createTopic(t);
    await record(
      t,
      claim({
        topic,
        key: 'us-plan',
        type: 'proposal',
        actor: 'united-states',
        targets: ['poland', 'russia'],
        occurred: '2007-01-22',
        source: { publisher: 'X', title: 'Y', publishedAt: '2007-01-23' },
        payload: { item: 'us-third-site', terms: 'ten interceptors in Poland' },
      }),
    );
  });
  afterAll(() => t.close());

  const positionOf = async (party: string, at: string) =>
    withCards((await request(t.http).get(`/parties/${party}/positions?topic=${topic}&at=${at}`).expect(200)).body)[0];

  it('is shown in both signers positions, by one event the proposer records', async () => {
    const signing = await record(
      t,
      claim({
        topic,
        type: 'agreement',
        actor: 'united-states',
        targets: [],
        refersTo: 'us-plan',
        occurred: '2008-08-20',
        source: { publisher: 'X', title: 'Signed in Warsaw', publishedAt: '2008-08-20' },
        summary: 'The United States and Poland sign the interceptor basing agreement.',
        payload: { parties: ['poland'], signed: true, terms: 'the interceptor basing agreement' },
      }),
    );
    expect(signing.event.cameo.code).toBe('057');
    expect(signing.parties).toEqual(['united-states', 'poland']);
    for (const party of ['united-states', 'poland']) {
      const position = await positionOf(party, '2008-08-21');
      expect(position.acts).toEqual([
        expect.objectContaining({
          eventId: signing.event.id,
          kind: 'agreement',
          signers: ['united-states', 'poland'],
          description: 'the interceptor basing agreement',
        }),
      ]);
      const other = party === 'poland' ? 'the United States' : 'Poland';
      expect(position.summary).toMatch(new RegExp(`signed the US third site.* with ${other}\\.$`));
    }
    // Russia, to whom the plan was also made, has not signed: the plan is still open, Poland's answer in it.
    const us = await positionOf('united-states', '2008-08-21');
    expect(us.openProposals[0].responses).toEqual(
      expect.arrayContaining([expect.objectContaining({ party: 'poland', response: 'accepted' })]),
    );
    // Nothing of it the day before.
    expect((await positionOf('poland', '2008-08-19')).acts).toEqual([]);
    // A full rebuild (npm run rebuild) says it was signed too: its fold reads the coding's code.
    const before = await positionOf('poland', '2008-08-21');
    expect(before.acts[0].signed).toBe(true);
    await t.app.get(PositionProjection).rebuildAll();
    expect(await positionOf('poland', '2008-08-21')).toEqual(before);
  });

  it('refuses a co-signer the catalog does not know, naming the field', async () => {
    const res = await request(t.http)
      .post('/events')
      .set(t.auth)
      .send(
        claim({
          topic,
          type: 'agreement',
          actor: 'united-states',
          targets: [],
          refersTo: 'us-plan',
          occurred: '2008-08-22',
          source: { publisher: 'X', title: 'Y', publishedAt: '2008-08-22' },
          payload: { parties: ['czech'] },
        }),
      )
      .expect(422);
    expect(res.body.errors[0].field).toBe('payload.parties[0]');
  });
});

/** Leaving an agreement (the United States and the JCPOA, 8 May 2018): a signer's withdrawal from it. */
describe('a signer withdrawing from an agreement', () => {
  let t: TestApp;
  let topic: string;
  beforeAll(async () => {
    t = await startCatalogApp();
    topic = await createTopic(t);
  });
  afterAll(() => t.close());

  const positionOf = async (party: string, at: string) =>
    withCards((await request(t.http).get(`/parties/${party}/positions?topic=${topic}&at=${at}`).expect(200)).body)[0];
  const source = (day: string) => ({ publisher: 'X', title: `Y ${day}`, publishedAt: day });

  it('is its own withdrawal: the deal stays listed, the others see who left, and a rebuild agrees', async () => {
    // Given a deal the United States signed with Russia, and a later statement in the topic
    await record(
      t,
      claim({
        topic,
        key: 'deal',
        type: 'agreement',
        actor: 'united-states',
        targets: [],
        occurred: '2015-07-14',
        source: source('2015-07-14'),
        payload: { parties: ['russia'], terms: 'the joint plan', signed: true },
      }),
    );
    await record(t, claim({ topic, occurred: '2016-01-16', source: source('2016-01-16') }));
    // When a party that did not sign it withdraws from it, then it is refused naming refersTo
    const refused = await request(t.http)
      .post('/events')
      .set(t.auth)
      .send(
        claim({
          topic,
          type: 'withdrawal',
          actor: 'poland',
          targets: [],
          refersTo: 'deal',
          occurred: '2018-05-08',
          source: source('2018-05-08'),
          payload: {},
        }),
      )
      .expect(422);
    expect(refused.body.errors[0]).toMatchObject({ field: 'refersTo' });
    // When the United States withdraws from it
    await record(
      t,
      claim({
        topic,
        type: 'withdrawal',
        actor: 'united-states',
        targets: [],
        refersTo: 'deal',
        occurred: '2018-05-08',
        source: source('2018-05-08'),
        payload: { reason: 'defective at its core' },
      }),
    );
    // Then its position says so, from that day, and Russia's that it left
    const us = await positionOf('united-states', '2018-05-09');
    expect(us.acts[0].left).toEqual([expect.objectContaining({ party: 'united-states', on: '2018-05-08' })]);
    expect(us.summary).toContain('withdrew from the joint plan on 8 May 2018');
    expect((await positionOf('united-states', '2018-05-07')).acts[0].left).toBeUndefined();
    const russia = await positionOf('russia', '2018-05-09');
    expect(russia.summary).toContain('saw the United States withdraw from the joint plan on 8 May 2018');
    const changes = await request(t.http)
      .get(`/parties/united-states/changes?topic=${topic}&from=2018-01-01&to=2018-06-01`)
      .expect(200);
    expect(JSON.stringify(changes.body)).toContain('left-agreement');
    // And the projection the writers kept is a rebuild's
    const answers = async () =>
      Promise.all(
        ['2015-07-15', '2018-05-07', '2018-05-09', '2019-01-01'].map(
          async (at) => (await request(t.http).get(`/topics/${topic}/positions?at=${at}`).expect(200)).body,
        ),
      );
    const inline = await answers();
    await t.dataSource.transaction((manager) => t.app.get(PositionProjection).rebuildTopic(manager, topic));
    expect(await answers()).toEqual(inline);
  });
});
