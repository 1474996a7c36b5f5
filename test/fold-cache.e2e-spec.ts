import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { claim, record, startCatalogApp, withCards } from './support/scenario.js';
import { startAppOn, type TestApp } from './support/test-app.js';

/** The US proposes interceptors in Poland. */
const proposal = (id: string) =>
  claim({
    id,
    type: 'proposal',
    actor: 'united-states',
    targets: ['russia'],
    occurred: '2007-06-02',
    payload: { item: 'us-third-site', terms: 'ten interceptors in Poland' },
  });

const agreement = (actor: string, refersTo: string, occurred: string) =>
  claim({ id: randomUUID(), type: 'agreement', actor, targets: ['united-states'], refersTo, occurred, payload: {} });

/**
 * Writers keep each topic's fold in memory (TopicStates). Two servers on one database must
 * still decide against everything recorded, whoever recorded it, and a projection emptied by
 * a migration must come back from the log at the next start.
 */
describe('folds kept in memory by several servers on one database', () => {
  let a: TestApp;
  beforeEach(async () => {
    a = await startCatalogApp();
  });
  afterEach(() => a.close());

  it('decides against events another server recorded after this one cached the topic', async () => {
    const b = await startAppOn(a.database);
    try {
      await record(b, claim({ id: randomUUID(), occurred: '2007-06-01' })); // b folds the topic and keeps it
      const offer = randomUUID();
      await record(a, proposal(offer));
      // An agreement needs the proposal open in the fold: b must notice its cached fold is behind.
      await record(b, agreement('poland', offer, '2007-06-03'));
      const withdrawal = claim({
        id: randomUUID(),
        type: 'withdrawal',
        actor: 'united-states',
        targets: [],
        refersTo: offer,
        occurred: '2007-06-04',
        payload: {},
      });
      await record(a, withdrawal);
      // And a must see b's agreement: the proposal is withdrawn now, so a second agreement is refused.
      const refused = await request(b.http)
        .post('/events')
        .set(b.auth)
        .send(agreement('russia', offer, '2007-06-05'));
      expect(refused.status).toBe(422);
      expect(refused.body.errors[0]).toMatchObject({ field: 'refersTo' });

      const poland = await request(a.http)
        .get('/parties/poland/positions?topic=missile-defense-europe&at=2007-06-03')
        .expect(200);
      expect(withCards(poland.body)[0].acts[0]).toMatchObject({
        kind: 'agreement',
        accepts: { event: offer, record: 'proposal', by: 'united-states', what: 'ten interceptors in Poland' },
      });
    } finally {
      await b.app.close();
    }
  });

  it('rebuilds a projection that a migration emptied when the next server starts', async () => {
    const offer = randomUUID();
    await record(a, claim({ id: randomUUID(), occurred: '2007-06-01' }));
    await record(a, proposal(offer));
    await record(a, agreement('poland', offer, '2007-06-03'));
    const before = await request(a.http).get('/topics/missile-defense-europe/positions?at=2007-06-10').expect(200);
    expect(withCards(before.body)).toHaveLength(3); // Russia, the United States and Poland: something to rebuild
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
