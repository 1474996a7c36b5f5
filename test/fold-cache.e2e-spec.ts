import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { claim, createCatalog, record } from './support/scenario.js';
import { startAppOn, startTestApp, type TestApp } from './support/test-app.js';

/**
 * Writers keep each topic's fold in memory (TopicStates). Two servers on one database must
 * still decide against everything recorded, whoever recorded it, and a projection emptied by
 * a migration must come back from the log at the next start.
 */
describe('folds kept in memory by several servers on one database', () => {
  let a: TestApp;
  let b: TestApp;
  beforeAll(async () => {
    a = await startTestApp();
    await createCatalog(a);
    b = await startAppOn(a.database);
  });
  afterAll(async () => {
    await b.app.close();
    await a.close();
  });

  it('decides against events another server recorded after this one cached the topic', async () => {
    await record(b, claim({ id: randomUUID(), occurred: '2007-06-01' })); // b folds the topic and keeps it
    const proposal = randomUUID();
    await record(
      a,
      claim({
        id: proposal,
        type: 'proposal',
        actor: 'united-states',
        targets: ['russia'],
        occurred: '2007-06-02',
        payload: { item: 'us-third-site', terms: 'ten interceptors in Poland' },
      }),
    );
    // An agreement needs the proposal open in the fold: b must notice its cached fold is behind.
    await record(
      b,
      claim({
        id: randomUUID(),
        type: 'agreement',
        actor: 'poland',
        targets: ['united-states'],
        refersTo: proposal,
        occurred: '2007-06-03',
        payload: {},
      }),
    );
    const withdrawal = claim({
      id: randomUUID(),
      type: 'withdrawal',
      actor: 'united-states',
      targets: [],
      refersTo: proposal,
      occurred: '2007-06-04',
      payload: {},
    });
    await record(a, withdrawal);
    // And a must see b's agreement: the proposal is withdrawn now, so a second agreement is refused.
    const refused = await request(b.http)
      .post('/events')
      .set(b.auth)
      .send(
        claim({
          id: randomUUID(),
          type: 'agreement',
          actor: 'russia',
          targets: ['united-states'],
          refersTo: proposal,
          occurred: '2007-06-05',
          payload: {},
        }),
      );
    expect(refused.status).toBe(422);
    expect(refused.body.errors[0]).toMatchObject({ field: 'refersTo' });

    const poland = await request(a.http)
      .get('/parties/poland/positions?topic=missile-defense-europe&at=2007-06-03')
      .expect(200);
    expect(poland.body.positions[0].acts[0]).toMatchObject({ kind: 'agreement', accepts: proposal });
  });

  it('rebuilds a projection that a migration emptied when the next server starts', async () => {
    const before = await request(a.http).get('/topics/missile-defense-europe/positions?at=2007-06-10').expect(200);
    await a.dataSource.query('TRUNCATE position_elements, topic_states');
    const c = await startAppOn(a.database);
    try {
      const after = await request(c.http).get('/topics/missile-defense-europe/positions?at=2007-06-10').expect(200);
      expect(after.body).toEqual(before.body);
    } finally {
      await c.app.close();
    }
  });
});
