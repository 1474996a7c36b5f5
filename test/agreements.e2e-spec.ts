import request from 'supertest';
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
