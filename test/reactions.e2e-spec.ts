import request from 'supertest';
import { claim, createTopic, record, startCatalogApp, withCards } from './support/scenario.js';
import type { TestApp } from './support/test-app.js';

/**
 * "Russia welcomes the US decision to drop the plan" (DESIGN section 3; issues 15 and 17): a
 * statement, rejection or agreement may answer a decision. It is a stance toward the decision,
 * shown as such in both positions, and it leaves the party's stance on the plan as it was.
 */
describe('a reaction to a decision, over HTTP', () => {
  let t: TestApp;
  let topic: string;
  beforeAll(async () => {
    t = await startCatalogApp();
    topic = await createTopic(t);
    const source = (publishedAt: string) => ({ publisher: 'X', title: 'Y', publishedAt });
    await record(
      t,
      claim({
        topic,
        key: 'us-plan',
        type: 'proposal',
        actor: 'united-states',
        targets: ['poland', 'russia'],
        occurred: '2007-01-22',
        source: source('2007-01-23'),
        payload: { item: 'us-third-site', terms: 'ten interceptors in Poland' },
      }),
    );
    await record(
      t,
      claim({
        topic,
        key: 'russia-opposes',
        type: 'statement',
        actor: 'russia',
        occurred: '2007-02-10',
        source: source('2007-02-10'),
        payload: { item: 'us-third-site', stance: 'opposes' },
      }),
    );
    await record(
      t,
      claim({
        topic,
        key: 'us-drops-plan',
        type: 'withdrawal',
        actor: 'united-states',
        targets: [],
        refersTo: 'us-plan',
        occurred: '2009-09-17',
        source: source('2009-09-17'),
        summary: 'The United States drops the third-site plan.',
        payload: { reason: 'a phased adaptive approach instead' },
      }),
    );
  });
  afterAll(() => t.close());

  const positionOf = async (party: string, at: string, extra = '') =>
    withCards(
      (await request(t.http).get(`/parties/${party}/positions?topic=${topic}&at=${at}${extra}`).expect(200)).body,
    )[0];

  it('is recorded with the decision by key, coded 051, and shown as welcomed in both positions', async () => {
    const welcome = await record(
      t,
      claim({
        topic,
        key: 'russia-welcomes-drop',
        type: 'statement',
        actor: 'russia',
        refersTo: 'us-drops-plan',
        occurred: '2009-09-17',
        reportedAt: '2009-09-18',
        source: { publisher: 'X', title: 'Moscow reacts', publishedAt: '2009-09-18' },
        summary: 'Russia welcomes the US decision to drop the plan.',
        payload: { stance: 'supports', reason: 'a responsible step' },
      }),
    );
    expect(welcome.event.cameo).toMatchObject({ code: '051', name: 'Praise or endorse', plover: 'SUPPORT' });
    expect(welcome.event.targets).toEqual(['united-states']);

    const russia = await positionOf('russia', '2009-09-20');
    expect(russia.reactions).toEqual([
      expect.objectContaining({
        eventId: welcome.event.id,
        reaction: 'welcomed',
        reason: 'a responsible step',
        to: expect.objectContaining({ decision: 'withdrawal', by: 'united-states', item: 'us-third-site' }),
      }),
    ]);
    // Welcoming the end of the plan is not supporting the plan.
    expect(russia.items.find((i: { item: string }) => i.item === 'us-third-site').stance).toBe('opposes');
    expect(russia.summary).toContain('welcomed the withdrawal by the United States of the US third site');
    const us = await positionOf('united-states', '2009-09-20');
    expect(us.reactionsToParty.map((r: { eventId: string; reaction: string }) => [r.eventId, r.reaction])).toEqual([
      [welcome.event.id, 'welcomed'],
    ]);
    // Not before the decision counted, and not as known before it was reported.
    expect((await positionOf('russia', '2009-09-16')).reactions).toEqual([]);
    expect((await positionOf('russia', '2009-09-20', '&knownAt=2009-09-17T23:00:00Z')).reactions).toEqual([]);
    // The compact line counts it.
    const compact = await request(t.http).get(`/parties/russia/positions?at=2009-09-20`).expect(200);
    const line = compact.body.positions.find((p: { topic: string }) => p.topic === topic);
    expect(line.counts).toMatchObject({ reactions: 1, reactionsToParty: 0 });
  });

  it('takes a rejection of the decision as a reaction, and refuses a statement on its own decision', async () => {
    const rejection = await record(
      t,
      claim({
        topic,
        type: 'rejection',
        actor: 'poland',
        refersTo: 'us-drops-plan',
        occurred: '2009-09-18',
        source: { publisher: 'X', title: 'Warsaw reacts', publishedAt: '2009-09-18' },
        payload: { reason: 'a betrayal of the allies' },
      }),
    );
    expect((await positionOf('poland', '2009-09-20')).reactions[0]).toMatchObject({
      eventId: rejection.event.id,
      reaction: 'rejected',
    });
    const own = await request(t.http)
      .post('/events')
      .set(t.auth)
      .send(
        claim({
          topic,
          type: 'statement',
          actor: 'united-states',
          targets: [],
          refersTo: 'us-drops-plan',
          occurred: '2009-09-18',
          source: { publisher: 'X', title: 'Y', publishedAt: '2009-09-18' },
          payload: { stance: 'supports' },
        }),
      )
      .expect(422);
    expect(own.body.errors[0]).toMatchObject({ field: 'refersTo' });
    expect(own.body.errors[0].problem).toContain("a statement answers another party's event");
  });
});
