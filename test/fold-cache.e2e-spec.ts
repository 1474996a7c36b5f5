import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { withClient } from '../src/database/scratch-database.js';
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

  it('does not trust a fold into which a write that rolled back had folded its event', async () => {
    // The projection's write refuses this quote's evidence card: the transaction rolls back after
    // the event was folded into the cached fold (set up by the owner: the app's role may not).
    await withClient(a.database.url, (owner) =>
      owner.query(`
      CREATE FUNCTION refuse_marked_card() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN RAISE EXCEPTION 'evidence card refused by the test trigger'; END $$;
      CREATE TRIGGER refuse_marked_card BEFORE INSERT ON evidence_cards FOR EACH ROW
        WHEN (NEW.card LIKE '%[refused by the projection]%') EXECUTE FUNCTION refuse_marked_card();`),
    );
    await record(a, claim({ id: randomUUID(), occurred: '2007-06-01' })); // a folds the topic and keeps it
    const offer = randomUUID();
    const refused = await request(a.http)
      .post('/events')
      .set(a.auth)
      .send({ ...proposal(offer), quote: 'Ten interceptors [refused by the projection]' });
    expect(refused.status).toBeGreaterThanOrEqual(500);
    // The proposal was never recorded: an agreement to it is refused.
    const agreed = await request(a.http)
      .post('/events')
      .set(a.auth)
      .send(agreement('poland', offer, '2007-06-03'));
    expect(agreed.status).toBe(422);
    expect(agreed.body.errors[0]).toMatchObject({ field: 'refersTo' });
    // The next write to the topic folds on the topic as committed, not on the fold that held the
    // refused proposal while its transaction ran (with that fold trusted, this answer fails).
    await record(a, proposal(randomUUID()));
    const poland = await request(a.http)
      .get('/parties/united-states/positions?topic=missile-defense-europe&at=2007-06-03')
      .expect(200);
    expect(withCards(poland.body)[0].items).toHaveLength(1);
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
