import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { claim, createTopic, record, startCatalogApp, withoutKnownAt, withCards } from './support/scenario.js';
import type { TestApp } from './support/test-app.js';

/** Russia offers data from the Gabala radar (on missile-defense-europe unless overridden). */
const gabalaOffer = (overrides: Record<string, unknown> = {}) =>
  claim({
    type: 'proposal',
    occurred: '2007-06-07',
    payload: { item: 'azerbaijan-radar', terms: 'Russia offers data from the Gabala radar' },
    cameo: '036',
    ...overrides,
  });

interface Story {
  gabala: string;
  rejection: string;
  freeze: string;
}

/**
 * 2007 on missile-defense-europe: Russia opposes the third site and offers the Gabala radar, the
 * US refuses the offer in July, Russia demands a freeze in October; both reported late October.
 */
async function recordStory(t: TestApp): Promise<Story> {
  const gabala = await record(t, gabalaOffer());
  await record(t, claim({ occurred: '2007-06-05' }));
  await record(
    t,
    claim({ occurred: '2007-06-06', payload: { item: 'us-third-site', stance: 'opposes', reason: 'no present need' } }),
  );
  const rejection = await record(
    t,
    claim({
      type: 'rejection',
      actor: 'united-states',
      targets: ['russia'],
      refersTo: gabala.event.id,
      occurred: '2007-07',
      speaker: { name: 'Robert Gates', role: 'US Secretary of Defense' },
      payload: { reason: 'an alternative, not a complement' },
      summary: 'The US refuses the Russian radars as an alternative.',
      source: { publisher: 'X', title: 'Y', publishedAt: '2007-10-31' },
    }),
  );
  const freeze = await record(
    t,
    claim({
      type: 'freeze_demand',
      occurred: '2007-10-12/2007-10-13',
      cameo: '1056',
      payload: { item: 'us-third-site', action: 'the plans for the third site', condition: 'while talks continue' },
      summary: 'Lavrov demands a freeze.',
      source: { publisher: 'X', title: 'Y', publishedAt: '2007-10-31' },
    }),
  );
  return { gabala: gabala.event.id, rejection: rejection.event.id, freeze: freeze.event.id };
}

describe('diplomacy API over HTTP', () => {
  describe('POST /events', () => {
    // The tests share an app; each that reads a topic's state writes to a topic of its own.
    let t: TestApp;
    beforeAll(async () => {
      t = await startCatalogApp();
    });
    afterAll(() => t.close());

    it('records a claim and answers with the stored event and the parties it touches, with their new positions if asked', async () => {
      const topic = await createTopic(t);
      const body = (
        await request(t.http).post('/events?include=positions').set(t.auth).send(gabalaOffer({ topic })).expect(201)
      ).body;
      expect(body.duplicate).toBe(false);
      expect(body.event).toMatchObject({
        type: 'proposal',
        actor: 'russia',
        version: 1,
        topic,
      });
      expect(body.event.cameo).toMatchObject({ code: '036', goldstein: 4, plover: 'CONSULT' });
      expect(body.event.occurred).toEqual({ from: '2007-06-07', to: '2007-06-07', precision: 'day' });
      expect(typeof body.event.position).toBe('number');
      expect(body.event.recordedAt).toBeDefined();
      expect(body.parties).toEqual(['russia', 'united-states']);
      const russia = withCards(body).find((p: { party: string }) => p.party === 'russia');
      expect(russia.openProposals.map((p: { eventId: string }) => p.eventId)).toEqual([body.event.id]);
      expect(russia.openProposals[0].responses).toEqual([{ party: 'united-states', response: 'none' }]);
    });

    it('answers a retry with the same id and payload with 200 and writes nothing; another payload under that id is 409', async () => {
      const topic = await createTopic(t);
      const body = claim({ id: randomUUID(), topic, occurred: '2007-06-05' });
      const first = await record(t, body, 201);
      const again = await record(t, body, 200);
      expect(again.duplicate).toBe(true);
      expect(again.event.position).toBe(first.event.position);
      const conflict = await record(t, { ...body, summary: 'Something else' }, 409);
      expect(conflict.message).toContain(body.id);
      const log = await request(t.http).get(`/events?topic=${topic}`).expect(200);
      expect(log.body.events.filter((e: { id: string }) => e.id === body.id)).toHaveLength(1);
    });

    it('refuses a stale expectedVersion with 409 and the current version', async () => {
      const topic = await createTopic(t);
      await record(t, gabalaOffer({ topic }));
      await record(t, claim({ topic, occurred: '2007-06-05' }));
      const conflict = await record(t, claim({ topic, expectedVersion: 0 }), 409);
      expect(conflict).toMatchObject({ statusCode: 409, currentVersion: 2, expectedVersion: 0 });
      await record(
        t,
        claim({
          topic,
          expectedVersion: 2,
          occurred: '2007-06-06',
          payload: { item: 'us-third-site', stance: 'opposes', reason: 'no present need' },
        }),
        201,
      );
    });

    it('answers without positions unless asked, and refuses an unknown include', async () => {
      const plain = await record(
        t,
        claim({
          id: randomUUID(),
          topic: 'cfe-treaty',
          actor: 'nato',
          targets: ['poland'],
          occurred: '2007-06-04',
          payload: { stance: 'opposes' },
        }),
      );
      expect(plain).not.toHaveProperty('positions');
      expect(plain.parties).toEqual(['nato', 'poland']);
      const wrong = await request(t.http)
        .post('/events?include=everything')
        .set(t.auth)
        .send(claim({ id: randomUUID() }))
        .expect(400);
      expect(wrong.body.errors[0]).toMatchObject({ field: 'include' });
    });

    it('refuses a write without a valid token with 401 and writes nothing', async () => {
      const before = await request(t.http).get('/log?limit=1000').expect(200);
      const none = await request(t.http).post('/events').send(claim()).expect(401);
      expect(none.body).toMatchObject({ statusCode: 401, error: 'Unauthorized' });
      await request(t.http)
        .post('/events')
        .set({ Authorization: 'Bearer wrong-token-wrong-token-x' })
        .send(claim())
        .expect(401);
      await request(t.http).post('/parties').send({ slug: 'iran', name: 'Iran', kind: 'state' }).expect(401);
      const after = await request(t.http).get('/log?limit=1000').expect(200);
      expect(after.body.events.length).toBe(before.body.events.length);
    });

    it('answers malformed input with 400 naming each field', async () => {
      const res = await request(t.http)
        .post('/events')
        .set(t.auth)
        .send({ ...claim(), type: 'invasion', summary: '', extra: 1 })
        .expect(400);
      expect(res.body.errors.map((e: { field: string }) => e.field)).toEqual(
        expect.arrayContaining(['type', 'summary', 'extra']),
      );
      const dates = await request(t.http)
        .post('/events')
        .set(t.auth)
        .send(claim({ occurred: '2007-02-30' }))
        .expect(400);
      expect(dates.body.message).toContain('occurred: "2007-02-30" is not a real calendar date');
      const payload = await request(t.http)
        .post('/events')
        .set(t.auth)
        .send(claim({ type: 'proposal', payload: { item: 'us-third-site' } }))
        .expect(400);
      expect(payload.body.message).toContain('payload.terms: is required for a proposal');
      await request(t.http)
        .post('/events')
        .set(t.auth)
        .set('Content-Type', 'application/json')
        .send('{"topic": ')
        .expect(400);
    });

    it('answers an unknown slug with 422 that names it and suggests the closest', async () => {
      const res = await request(t.http)
        .post('/events')
        .set(t.auth)
        .send(claim({ actor: 'rusia' }))
        .expect(422);
      expect(res.body.message).toContain('actor: unknown party "rusia"');
      expect(res.body.suggestions[0]).toBe('russia');
      const item = await request(t.http)
        .post('/events')
        .set(t.auth)
        .send(claim({ payload: { item: 'third-site', stance: 'opposes' } }))
        .expect(422);
      expect(item.body.suggestions).toContain('us-third-site');
    });

    it('suggests a party by its name or an alias, not only by its slug', async () => {
      const byAlias = await request(t.http)
        .post('/events')
        .set(t.auth)
        .send(claim({ targets: ['russian-federation'] }))
        .expect(422);
      expect(byAlias.body.errors[0].field).toBe('targets[0]');
      expect(byAlias.body.suggestions[0]).toBe('russia');
      const byName = await request(t.http).get('/parties/Russian%20Federation/positions').expect(404);
      expect(byName.body.suggestions[0]).toBe('russia');
    });

    it('enforces the rules of the domain with 422', async () => {
      const topic = await createTopic(t);
      const offer = await record(t, gabalaOffer({ topic }));
      const own = await request(t.http)
        .post('/events')
        .set(t.auth)
        .send(claim({ topic, type: 'rejection', refersTo: offer.event.id, payload: {} }))
        .expect(422);
      expect(own.body.message).toContain('own proposal');
      const early = await request(t.http)
        .post('/events')
        .set(t.auth)
        .send(claim({ reportedAt: '2007-06-01', occurred: '2007-06-07' }))
        .expect(422);
      expect(early.body.message).toContain('a report cannot come before the event');
      const wrongFamily = await request(t.http)
        .post('/events')
        .set(t.auth)
        .send(claim({ cameo: '120' }))
        .expect(422);
      expect(wrongFamily.body.message).toContain('cameo');
    });
  });

  describe('positions', () => {
    let t: TestApp;
    let ids: Story;
    beforeAll(async () => {
      t = await startCatalogApp();
      ids = await recordStory(t);
    });
    afterAll(() => t.close());

    it("answers a party's position at a date, with evidence and a summary", async () => {
      const res = await request(t.http).get('/parties/russia/positions?detail=full&at=2007-10-14').expect(200);
      const [md] = withCards(res.body);
      expect(md.topic).toBe('missile-defense-europe');
      expect(md.stance).toBe('mixed');
      expect(md.items.find((i: { item: string }) => i.item === 'us-third-site').stance).toBe('opposes');
      expect(md.activeDemands.map((d: { eventId: string }) => d.eventId)).toEqual([ids.freeze]);
      expect(md.openProposals[0].responses[0]).toMatchObject({ party: 'united-states', response: 'rejected' });
      expect(md.openProposals[0].evidence).toMatchObject({
        eventId: ids.gabala,
        quote: expect.any(String),
        source: expect.any(Object),
      });
      expect(md.summary).toBe(
        'As of 14 October 2007, Russia opposed the US third site in Poland and the Czech Republic, demanded that the United States freeze the US third site in Poland and the Czech Republic while talks continue, and had on the table joint use of the Gabala radar.',
      );
    });

    it('lists an event whose interval contains the date as possibly in effect, not counted', async () => {
      const res = await request(t.http).get('/parties/russia/positions?detail=full&at=2007-10-12').expect(200);
      const [md] = withCards(res.body);
      expect(md.activeDemands).toEqual([]);
      expect(md.possiblyInEffect.map((e: { eventId: string }) => e.eventId)).toEqual([ids.freeze]);
    });

    it('with knownAt counts only what had been reported by then', async () => {
      const before = await request(t.http)
        .get('/parties/russia/positions?detail=full&at=2007-10-14&knownAt=2007-10-20')
        .expect(200);
      expect(withCards(before.body)[0].activeDemands).toEqual([]);
      expect(withCards(before.body)[0].openProposals[0].responses[0].response).toBe('none');
      const after = await request(t.http)
        .get('/parties/russia/positions?detail=full&at=2007-10-14&knownAt=2007-11-01')
        .expect(200);
      expect(withCards(after.body)[0].activeDemands).toHaveLength(1);
    });

    it('lists a threat against a party in its position, and says it, compact as full, while it stands and once withdrawn', async () => {
      const topic = await createTopic(t);
      const source = (day: string) => ({ publisher: 'Wire', title: `Report of ${day}`, publishedAt: day });
      const threat = await record(
        t,
        claim({
          topic,
          type: 'threat',
          targets: ['poland'],
          occurred: '2012-03-05',
          source: source('2012-03-05'),
          cameo: '138',
          payload: { counterMeasure: 'station missiles near the border' },
        }),
      );
      const withdrawal = await record(
        t,
        claim({
          topic,
          type: 'withdrawal',
          targets: ['poland'],
          refersTo: threat.event.id,
          occurred: '2012-05-10',
          source: source('2012-05-10'),
          payload: {},
        }),
      );
      const said = async (day: string) => {
        const full = withCards(
          (await request(t.http).get(`/parties/poland/positions?topic=${topic}&detail=full&at=${day}`).expect(200))
            .body,
        )[0];
        const compact = await request(t.http).get(`/parties/poland/positions?at=${day}`).expect(200);
        const line = compact.body.positions.find((p: { topic: string }) => p.topic === topic);
        expect({ day, summary: line.summary }).toEqual({ day, summary: full.summary });
        expect({ day, counts: line.counts }).toMatchObject({
          day,
          counts: {
            threatsAgainstParty: full.threatsAgainstParty.length,
            closedConcerningParty: full.closedConcerningParty.length,
          },
        });
        return full;
      };
      const standing = await said('2012-04-01');
      expect(standing.threatsAgainstParty).toEqual([
        expect.objectContaining({
          eventId: threat.event.id,
          by: 'russia',
          counterMeasure: 'station missiles near the border',
        }),
      ]);
      expect(standing.lastChangeAffecting.eventId).toBe(threat.event.id);
      expect(standing.summary).toBe(
        'As of 1 April 2012, Poland faced the threat of Russia to station missiles near the border.',
      );
      const after = await said('2012-09-01');
      expect(after.threatsAgainstParty).toEqual([]);
      expect(after.closedConcerningParty).toEqual([
        expect.objectContaining({ record: 'threat', eventId: threat.event.id, by: 'russia', status: 'withdrawn' }),
      ]);
      expect(after.lastChangeAffecting.eventId).toBe(withdrawal.event.id);
      expect(after.summary).toContain(
        'saw the threat of Russia to station missiles near the border, made against it, withdrawn on 10 May 2012',
      );
      const changes = await request(t.http)
        .get(`/parties/poland/changes?topic=${topic}&from=2012-01-01&to=2012-09-01`)
        .expect(200);
      expect(changes.body.topics[0].changes.map((c: { kind: string; subject: string }) => [c.kind, c.subject])).toEqual(
        [
          ['threat-received', threat.event.id],
          ['threat-closed', threat.event.id],
        ],
      );
    });

    it('the fast path (temporal table) and the fold agree', async () => {
      for (const at of ['2007-06-06', '2007-06-07', '2007-07-31', '2007-10-13', '2008-01-01']) {
        const fast = await request(t.http).get(`/topics/missile-defense-europe/positions?at=${at}`).expect(200);
        const folded = await request(t.http)
          .get(`/topics/missile-defense-europe/positions?at=${at}&knownAt=2030-01-01`)
          .expect(200);
        const strip = (positions: Record<string, unknown>[]) =>
          withoutKnownAt(positions)
            .map(({ possiblyInEffect: _p, ...rest }) => rest)
            .sort((a, b) => String(a.party).localeCompare(String(b.party)));
        expect(strip(withCards(fast.body))).toEqual(strip(withCards(folded.body)));
      }
    });

    it('puts every party of a topic side by side', async () => {
      const res = await request(t.http).get('/topics/missile-defense-europe/positions?at=2007-10-14').expect(200);
      expect(
        withCards(res.body)
          .map((p: { party: string }) => p.party)
          .sort(),
      ).toEqual(['russia', 'united-states']);
      const us = withCards(res.body).find((p: { party: string }) => p.party === 'united-states');
      expect(us.demandsOnParty.map((d: { eventId: string }) => d.eventId)).toEqual([ids.freeze]);
      expect(us.responses[0]).toMatchObject({
        to: { event: ids.gabala, record: 'proposal', by: 'russia', title: 'joint use of the Gabala radar' },
        response: 'rejected',
      });
    });

    it('answers unknown parties and topics with 404 and suggestions, bad dates with 400', async () => {
      const party = await request(t.http).get('/parties/rusia/positions?detail=full').expect(404);
      expect(party.body.suggestions).toContain('russia');
      await request(t.http).get('/topics/missile-defence/positions').expect(404);
      const date = await request(t.http).get('/parties/russia/positions?detail=full&at=2007-13-01').expect(400);
      expect(date.body.message).toContain('at:');
      await request(t.http).get('/parties/russia/positions?detail=full&knownAt=yesterday').expect(400);
    });

    it('lists the changes between two dates with their causes', async () => {
      const res = await request(t.http).get('/parties/russia/changes?from=2007-06-01&to=2007-10-31').expect(200);
      const kinds = withCards(res.body, 'topics')[0].changes.map((c: { kind: string }) => c.kind);
      expect(kinds).toEqual(expect.arrayContaining(['proposed', 'demanded', 'received-response', 'stance-moved']));
      const demanded = withCards(res.body, 'topics')[0].changes.find((c: { kind: string }) => c.kind === 'demanded');
      expect(demanded.evidence.eventId).toBe(ids.freeze);
      await request(t.http).get('/parties/russia/changes').expect(400);
    });
  });

  describe('the compact view', () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await startCatalogApp();
    });
    afterAll(() => t.close());

    it('says what the full position says when only closed records remain, months later', async () => {
      const at = (day: string) => ({ occurred: day, reportedAt: day });
      const source = (day: string) => ({ publisher: 'Wire', title: `Report of ${day}`, publishedAt: day });
      const demand = await record(
        t,
        claim({
          type: 'freeze_demand',
          actor: 'russia',
          targets: ['poland'],
          ...at('2009-01-12'),
          source: source('2009-01-12'),
          payload: { item: 'us-third-site', action: 'the construction of the interceptor base' },
        }),
      );
      await record(
        t,
        claim({
          type: 'rejection',
          actor: 'poland',
          targets: ['russia'],
          speaker: undefined,
          refersTo: demand.event.id,
          ...at('2009-01-22'),
          source: source('2009-01-22'),
          payload: {},
        }),
      );
      await record(
        t,
        claim({
          type: 'withdrawal',
          actor: 'russia',
          targets: [],
          refersTo: demand.event.id,
          ...at('2009-02-12'),
          source: source('2009-02-12'),
          payload: {},
        }),
      );
      for (const party of ['russia', 'poland']) {
        const full = await request(t.http)
          .get(`/parties/${party}/positions?topic=missile-defense-europe&detail=full&at=2009-06-01`)
          .expect(200);
        const compact = await request(t.http).get(`/parties/${party}/positions?at=2009-06-01`).expect(200);
        const line = compact.body.positions.find((p: { topic: string }) => p.topic === 'missile-defense-europe');
        expect({ party, summary: line.summary }).toEqual({ party, summary: full.body.positions[0].summary });
        expect(line.summary).toContain('12 February 2009');
      }
    });

    it('says an agreement in force months and years after its signing, and a withdrawal from it, as the full position does', async () => {
      const at = (day: string) => ({ occurred: day, reportedAt: day });
      const source = (day: string) => ({ publisher: 'Wire', title: `Report of ${day}`, publishedAt: day });
      const treaty = await record(
        t,
        claim({
          type: 'agreement',
          actor: 'united-states',
          targets: [],
          speaker: undefined,
          ...at('2011-01-06'),
          source: source('2011-01-06'),
          payload: { terms: 'a basing treaty', parties: ['poland'], signed: true },
        }),
      );
      const said = async (party: string, day: string) => {
        const full = await request(t.http)
          .get(`/parties/${party}/positions?topic=missile-defense-europe&detail=full&at=${day}`)
          .expect(200);
        const compact = await request(t.http).get(`/parties/${party}/positions?at=${day}`).expect(200);
        const line = compact.body.positions.find((p: { topic: string }) => p.topic === 'missile-defense-europe');
        expect({ party, day, summary: line.summary }).toEqual({ party, day, summary: full.body.positions[0].summary });
        return line.summary as string;
      };
      expect(await said('united-states', '2011-06-01')).toContain('was party to a basing treaty with Poland');
      expect(await said('poland', '2013-06-01')).toContain('was party to a basing treaty with the United States');
      await record(
        t,
        claim({
          type: 'withdrawal',
          actor: 'poland',
          targets: [],
          speaker: undefined,
          refersTo: treaty.event.id,
          ...at('2014-01-07'),
          source: source('2014-01-07'),
          payload: {},
        }),
      );
      expect(await said('poland', '2014-06-01')).toContain('; it withdrew from a basing treaty on 7 January 2014');
      expect(await said('united-states', '2014-06-01')).toContain('was party to a basing treaty.');
    });

    /** The compact line and the full position of `party` on `topic` at `day`: one summary, said alike. */
    const summaryOn = async (topic: string, party: string, day: string) => {
      const full = await request(t.http)
        .get(`/parties/${party}/positions?topic=${topic}&detail=full&at=${day}`)
        .expect(200);
      const compact = await request(t.http).get(`/parties/${party}/positions?at=${day}`).expect(200);
      const line = compact.body.positions.find((p: { topic: string }) => p.topic === topic);
      expect({ party, day, summary: line.summary }).toEqual({ party, day, summary: full.body.positions[0].summary });
      return { summary: full.body.positions[0].summary as string, position: full.body.positions[0] };
    };
    const on = (day: string) => ({
      occurred: day,
      reportedAt: day,
      speaker: undefined,
      source: { publisher: 'Wire', title: `Report of ${day}`, publishedAt: day },
    });

    it('leads with the newest turning point: a party that left a pact after older ones says it withdrew, not that it accepted (audit of 2026-12-07, F2)', async () => {
      const topic = await createTopic(t);
      // Two US plans, Poland's demands on them, made moot when the United States withdrew the plans.
      for (const [i, item] of ['us-third-site', 'azerbaijan-radar'].entries()) {
        const plan = await record(
          t,
          claim({
            topic,
            type: 'proposal',
            actor: 'united-states',
            targets: ['poland'],
            ...on(`2022-01-0${i + 1}`),
            payload: { item, terms: `the ${item}` },
          }),
        );
        await record(
          t,
          claim({
            topic,
            type: 'demand',
            actor: 'poland',
            targets: ['united-states'],
            ...on(`2022-01-1${i}`),
            payload: { item, demand: `halt work on the ${item}` },
          }),
        );
        await record(
          t,
          claim({
            topic,
            type: 'withdrawal',
            actor: 'united-states',
            targets: [],
            refersTo: plan.event.id,
            ...on(`2022-02-0${i + 1}`),
            payload: { reason: 'dropped' },
          }),
        );
      }
      // Russia's pact, co-signed by Poland on 15 February; Poland leaves it on 1 March.
      const pact = await record(
        t,
        claim({
          topic,
          type: 'proposal',
          actor: 'russia',
          targets: ['poland'],
          ...on('2022-02-10'),
          payload: { item: 'pact', itemTitle: 'the pact', terms: 'pact terms' },
        }),
      );
      const signed = await record(
        t,
        claim({
          topic,
          type: 'agreement',
          actor: 'russia',
          targets: ['poland'],
          refersTo: pact.event.id,
          ...on('2022-02-15'),
          payload: { item: 'pact', terms: 'pact terms', parties: ['poland'], signed: true },
        }),
      );
      await record(
        t,
        claim({
          topic,
          type: 'withdrawal',
          actor: 'poland',
          targets: [],
          refersTo: signed.event.id,
          ...on('2022-03-01'),
          payload: { reason: 'exit' },
        }),
      );
      const { summary, position } = await summaryOn(topic, 'poland', '2022-03-02');
      expect(position.items.find((i: { item: string }) => i.item === 'pact').stance).toBe('withdrawn');
      expect(summary).toMatch(/^As of 2 March 2022, Poland withdrew from the pact on 1 March 2022, /);
      expect(summary).toContain('made moot by the United States on 2 February 2022');
      expect(summary).not.toContain('accepted');
    });

    it('gives each refuser of a demand made of two parties its own refusal’s day, not the day the other’s closed it (audit of 2026-12-07, F5)', async () => {
      const topic = await createTopic(t);
      await record(
        t,
        claim({
          topic,
          type: 'proposal',
          actor: 'united-states',
          targets: ['russia'],
          ...on('2022-01-05'),
          payload: { item: 'wall', itemTitle: 'the wall', terms: 'a wall' },
        }),
      );
      const demand = await record(
        t,
        claim({
          topic,
          type: 'demand',
          actor: 'russia',
          targets: ['united-states', 'poland'],
          ...on('2022-01-10'),
          payload: { item: 'wall', demand: 'stop the wall' },
        }),
      );
      const refusal = (actor: string, occurred: string, reportedAt: string) =>
        claim({
          topic,
          type: 'rejection',
          actor,
          targets: ['russia'],
          refersTo: demand.event.id,
          ...on(occurred),
          reportedAt,
          payload: { reason: 'no' },
        });
      await record(t, refusal('united-states', '2022-01-12', '2022-01-20'));
      await record(t, refusal('poland', '2022-01-15', '2022-01-16'));
      const us = (await summaryOn(topic, 'united-states', '2022-01-25')).summary;
      expect(us).toContain('refused the demand of Russia on the wall on 12 January 2022');
      expect(us).not.toContain('15 January');
      expect((await summaryOn(topic, 'poland', '2022-01-25')).summary).toContain(
        'refused the demand of Russia on the wall on 15 January 2022',
      );
      expect((await summaryOn(topic, 'russia', '2022-01-25')).summary).toContain(
        'refused by Poland and the United States on 15 January 2022',
      );
    });
  });

  describe('corrections and retractions', () => {
    // Each test corrects or retracts a record of the story: a story of its own.
    let t: TestApp;
    let ids: Story;
    beforeEach(async () => {
      t = await startCatalogApp();
      ids = await recordStory(t);
    });
    afterEach(() => t.close());

    it("keep the original readable and show it corrected, from the correction's reportedAt on", async () => {
      const correction = await record(
        t,
        claim({
          type: 'correction',
          refersTo: ids.freeze,
          occurred: '2007-11-02',
          reportedAt: '2007-11-02',
          payload: { reason: 'Putin already asked for it on 12 October', changes: { occurred: '2007-10-12' } },
          summary: 'Correction: the freeze demand was made on 12 October.',
          source: { publisher: 'Stance', title: 'Correction', publishedAt: '2007-11-02' },
        }),
      );
      const original = await request(t.http).get(`/events/${ids.freeze}`).expect(200);
      expect(original.body.occurred.from).toBe('2007-10-12');
      expect(original.body.status).toBe('corrected');
      expect(original.body.correctedBy).toEqual([correction.event.id]);
      expect(original.body.corrected.occurred).toEqual({ from: '2007-10-12', to: '2007-10-12', precision: 'day' });
      const before = await request(t.http).get(`/events/${ids.freeze}?knownAt=2007-11-01`).expect(200);
      expect(before.body.status).toBe('recorded');
      // As known before the correction was reported, the list shows the original and not the correction,
      // and the correction itself was not known yet.
      const listed = await request(t.http).get('/events?knownAt=2007-11-01&limit=500').expect(200);
      const listedIds = listed.body.events.map((e: { id: string }) => e.id);
      expect(listedIds).toContain(ids.freeze);
      expect(listedIds).not.toContain(correction.event.id);
      expect(
        listed.body.events.every((e: { reportedAt: string }) => Date.parse(e.reportedAt) <= Date.parse('2007-11-01')),
      ).toBe(true);
      const unknown = await request(t.http).get(`/events/${correction.event.id}?knownAt=2007-11-01`).expect(404);
      expect(unknown.body.errors[0]).toMatchObject({ field: 'knownAt' });
      expect(unknown.body.errors[0].problem).toContain('was not publicly known');
      await request(t.http).get(`/events/${correction.event.id}?knownAt=2007-11-02`).expect(200);

      const now = await request(t.http).get('/parties/russia/positions?detail=full&at=2007-10-12').expect(200);
      expect(withCards(now.body)[0].activeDemands[0].evidence.correctedBy).toBe(correction.event.id);
      const then = await request(t.http)
        .get('/parties/russia/positions?detail=full&at=2007-10-12&knownAt=2007-11-01')
        .expect(200);
      expect(withCards(then.body)[0].activeDemands).toEqual([]);
      expect(withCards(then.body)[0].possiblyInEffect.map((e: { eventId: string }) => e.eventId)).toEqual([ids.freeze]);
    });

    it('finds a corrected text by the same match as an original one (GET /events?q=)', async () => {
      // Two records end up saying the same words: one as posted, one through a correction. A text
      // search lists both or neither, whatever letters it holds: PostgreSQL's ILIKE decides for
      // both (its case folding of "İ" or "É" is the database's; JavaScript's differs).
      const words = 'talks in istanbul on the élysée plan';
      const asPosted = await record(
        t,
        claim({
          occurred: '2007-06-07',
          summary: words,
        }),
      );
      await record(
        t,
        claim({
          type: 'correction',
          refersTo: ids.freeze,
          occurred: '2007-11-04',
          reportedAt: '2007-11-04',
          payload: { reason: 'the report named the wrong venue', changes: { summary: words } },
          summary: 'Correction: the venue.',
          source: { publisher: 'Stance', title: 'Correction', publishedAt: '2007-11-04' },
        }),
      );
      for (const q of ['İSTANBUL', 'ÉLYSÉE', 'Élysée', 'istanbul', 'ISTANBUL']) {
        const listed = await request(t.http)
          .get(`/events?q=${encodeURIComponent(q)}&limit=500`)
          .expect(200);
        const found = listed.body.events.map((e: { id: string }) => e.id);
        expect({ q, corrected: found.includes(ids.freeze) }).toEqual({
          q,
          corrected: found.includes(asPosted.event.id),
        });
      }
    });

    it('a retraction removes the record from positions from its reportedAt on, and shows it as retracted', async () => {
      const retraction = await record(
        t,
        claim({
          type: 'retraction',
          actor: 'united-states', // the record's own actor: the US rejection is retracted
          targets: ['russia'],
          speaker: undefined,
          refersTo: ids.rejection,
          occurred: '2007-11-05',
          reportedAt: '2007-11-05',
          payload: { reason: 'the source misattributed the remark' },
          summary: 'Retraction of the reported US rejection.',
          source: { publisher: 'Stance', title: 'Retraction', publishedAt: '2007-11-05' },
        }),
      );
      const now = await request(t.http).get('/parties/russia/positions?detail=full&at=2007-10-14').expect(200);
      expect(withCards(now.body)[0].openProposals[0].responses[0].response).toBe('none');
      const us = await request(t.http).get('/parties/united-states/positions?detail=full&at=2007-10-14').expect(200);
      expect(withCards(us.body)[0].retracted[0]).toMatchObject({
        evidence: { eventId: ids.rejection },
        retraction: { eventId: retraction.event.id },
      });
      const before = await request(t.http)
        .get('/parties/russia/positions?detail=full&at=2007-10-14&knownAt=2007-11-04')
        .expect(200);
      expect(withCards(before.body)[0].openProposals[0].responses[0].response).toBe('rejected');
      const shown = await request(t.http).get(`/events/${ids.rejection}`).expect(200);
      expect(shown.body).toMatchObject({ status: 'retracted', retractedBy: retraction.event.id });
      await request(t.http)
        .post('/events')
        .set(t.auth)
        .send(
          claim({
            type: 'withdrawal',
            actor: 'united-states',
            targets: [],
            refersTo: ids.rejection,
            occurred: '2007-11-06',
            payload: {},
            source: { publisher: 'X', title: 'Y', publishedAt: '2007-11-06' },
          }),
        )
        .expect(422);
    });

    it('keeps the position of a party whose only record was retracted, with that record under `retracted`, on every read path', async () => {
      const day = (d: string) => ({
        occurred: d,
        reportedAt: d,
        source: { publisher: 'X', title: 'Y', publishedAt: d },
      });
      const support = await record(
        t,
        claim({
          actor: 'poland',
          targets: ['united-states'],
          speaker: undefined,
          ...day('2007-06-10'),
          payload: { item: 'us-third-site', stance: 'supports' },
          summary: 'Poland supports the third site.',
        }),
      );
      await record(
        t,
        claim({
          type: 'retraction',
          actor: 'poland',
          targets: ['united-states'],
          speaker: undefined,
          refersTo: support.event.id,
          ...day('2007-07-01'),
          payload: { reason: 'the source misattributed the remark' },
          summary: 'Retraction of the reported Polish support.',
        }),
      );
      const retractedOf = (position: { retracted: { evidence: { eventId: string } }[] }) =>
        position.retracted.map((r) => r.evidence.eventId);
      for (const knownAt of ['', '&knownAt=2100-01-01']) {
        // The stored projection (no knownAt) and the fold of the log (knownAt) alike.
        const full = await request(t.http)
          .get(`/parties/poland/positions?topic=missile-defense-europe&at=2007-06-20${knownAt}`)
          .expect(200);
        expect({ knownAt, retracted: withCards(full.body).map(retractedOf) }).toEqual({
          knownAt,
          retracted: [[support.event.id]],
        });
        expect(full.body.positions[0].items).toEqual([]);
        const side = await request(t.http)
          .get(`/topics/missile-defense-europe/positions?at=2007-06-20${knownAt}`)
          .expect(200);
        const poland = withCards(side.body).find((p: { party: string }) => p.party === 'poland');
        expect({ knownAt, retracted: poland && retractedOf(poland) }).toEqual({
          knownAt,
          retracted: [support.event.id],
        });
        const compact = await request(t.http).get(`/parties/poland/positions?at=2007-06-20${knownAt}`).expect(200);
        expect({
          knownAt,
          lines: compact.body.positions.map((p: { counts: { retracted: number } }) => p.counts.retracted),
        }).toEqual({ knownAt, lines: [1] });
      }
      // Before the record began there is nothing to show; as known before the retraction, the record stands.
      const before = await request(t.http).get('/parties/poland/positions?at=2007-06-09').expect(200);
      expect(before.body.positions).toEqual([]);
      const known = await request(t.http)
        .get('/parties/poland/positions?topic=missile-defense-europe&at=2007-06-20&knownAt=2007-06-20')
        .expect(200);
      expect(known.body.positions[0].items.map((i: { stance: string }) => i.stance)).toEqual(['supports']);
      expect(known.body.positions[0].retracted).toEqual([]);
    });
  });

  describe('reading the record', () => {
    let t: TestApp;
    let ids: Story;
    beforeAll(async () => {
      t = await startCatalogApp();
      ids = await recordStory(t);
    });
    afterAll(() => t.close());

    it('filters events by topic, party, type, dates and text, with cursor pages', async () => {
      const byType = await request(t.http).get('/events?type=freeze_demand').expect(200);
      expect(byType.body.events.map((e: { id: string }) => e.id)).toEqual([ids.freeze]);
      const byParty = await request(t.http).get('/events?party=united-states&type=rejection').expect(200);
      expect(byParty.body.events).toHaveLength(1);
      const byText = await request(t.http).get('/events?q=ALTERNATIVE').expect(200);
      expect(byText.body.events.map((e: { id: string }) => e.id)).toEqual([ids.rejection]);
      const byDate = await request(t.http)
        .get('/events?from=2007-10-01&to=2007-10-31&topic=missile-defense-europe')
        .expect(200);
      expect(byDate.body.events.map((e: { id: string }) => e.id)).toEqual([ids.freeze]);
      const page1 = await request(t.http).get('/events?limit=2').expect(200);
      const page2 = await request(t.http).get(`/events?limit=2&after=${page1.body.next}`).expect(200);
      expect(page2.body.events[0].position).toBeGreaterThan(page1.body.events[1].position);
      await request(t.http).get('/events/00000000-0000-4000-8000-000000000000').expect(404);
      await request(t.http).get('/events?limit=0').expect(400);
      // A topic or party the catalog does not hold is named, with close ones, never an empty page.
      const noTopic = await request(t.http).get('/events?topic=missile-defence-europe').expect(404);
      expect(noTopic.body.suggestions).toContain('missile-defense-europe');
      const noParty = await request(t.http).get('/events?party=russsia').expect(404);
      expect(noParty.body.suggestions).toContain('russia');
      await request(t.http).get('/events?from=june').expect(400);
    });

    it('lists the catalog, and a topic with its items', async () => {
      const parties = await request(t.http).get('/parties').expect(200);
      expect(parties.body.map((p: { slug: string }) => p.slug)).toContain('richard-lugar');
      const topic = await request(t.http).get('/topics/missile-defense-europe').expect(200);
      expect(topic.body.items.map((i: { slug: string }) => i.slug)).toEqual(
        expect.arrayContaining(['us-third-site', 'azerbaijan-radar']),
      );
      await request(t.http)
        .post('/parties')
        .set(t.auth)
        .send({ slug: 'russia', name: 'Russia', kind: 'state' })
        .expect(409);
      await request(t.http)
        .post('/parties')
        .set(t.auth)
        .send({ slug: 'Bad Slug', name: 'x', kind: 'planet' })
        .expect(400);
    });

    it('keeps a party within its parent, so a domestic body acts as itself', async () => {
      const congress = await request(t.http)
        .post('/parties')
        .set(t.auth)
        .send({
          slug: 'united-states-congress',
          name: 'the US Congress',
          kind: 'organisation',
          parent: 'united-states',
        })
        .expect(201);
      expect(congress.body.parent).toBe('united-states');
      expect((await request(t.http).get('/parties/united-states-congress').expect(200)).body).toMatchObject({
        parent: 'united-states',
      });
      const orphan = await request(t.http)
        .post('/parties')
        .set(t.auth)
        .send({ slug: 'polish-sejm', name: 'the Sejm', kind: 'organisation', parent: 'polnad' })
        .expect(422);
      expect(orphan.body.errors[0].field).toBe('parent');
      expect(orphan.body.suggestions[0]).toBe('poland');
      await request(t.http).get('/parties/polish-sejm').expect(404);
      const topic = await createTopic(t);
      const cut = await record(
        t,
        claim({
          topic,
          type: 'action',
          actor: 'united-states-congress',
          targets: [],
          occurred: '2008-09-24',
          source: { publisher: 'X', title: 'Congress cuts the funds', publishedAt: '2008-09-24' },
          summary: 'Congress withholds funds for the Polish interceptor site.',
          payload: { item: 'us-third-site', act: 'withholds construction funds for the interceptor site' },
        }),
      );
      expect(cut.parties).toEqual(['united-states-congress']);
    });
  });

  describe('replay', () => {
    let t: TestApp;
    let ids: Story;
    beforeAll(async () => {
      t = await startCatalogApp();
      ids = await recordStory(t);
    });
    afterAll(() => t.close());

    it('returns the ordered events of a topic, each with the positions right after it', async () => {
      const res = await request(t.http).get('/topics/missile-defense-europe/replay').expect(200);
      const days = withCards(res.body, 'steps').map(
        (s: { event: { occurred: { to: string } } }) => s.event.occurred.to,
      );
      expect(days).toEqual([...days].sort());
      const gabala = withCards(res.body, 'steps').find((s: { event: { id: string } }) => s.event.id === ids.gabala);
      expect(gabala.positions.map((p: { party: string }) => p.party).sort()).toEqual(['russia', 'united-states']);
      const bounded = await request(t.http)
        .get('/topics/missile-defense-europe/replay?from=2007-10-01&to=2007-10-31')
        .expect(200);
      expect(withCards(bounded.body, 'steps').map((s: { event: { id: string } }) => s.event.id)).toEqual([ids.freeze]);
    });

    it('streams the replay as server-sent events and continues with an event posted after subscribing', async () => {
      // On a topic of its own: the event it posts must not change the story's replay.
      const topic = await createTopic(t);
      const offer = await record(t, gabalaOffer({ topic }));
      // Through the app, so that closing the app closes the listener (a raw server.listen stays open).
      if (!t.http.listening) await t.app.listen(0, '127.0.0.1');
      const address = t.http.address();
      const port = (address as { port: number }).port;
      const controller = new AbortController();
      const response = await fetch(`http://127.0.0.1:${port}/topics/${topic}/replay`, {
        headers: { Accept: 'text/event-stream' },
        signal: controller.signal,
      });
      expect(response.headers.get('content-type')).toContain('text/event-stream');
      const reader = response.body!.getReader();
      let text = '';
      const readUntil = async (needle: string) => {
        while (!text.includes(needle)) {
          const { value, done } = await reader.read();
          if (done) throw new Error('stream ended');
          text += new TextDecoder().decode(value);
        }
      };
      await readUntil('event: caught-up');
      expect(text).toContain(offer.event.id);
      const live = await record(
        t,
        claim({
          topic,
          type: 'threat',
          occurred: '2007-11-10',
          cameo: '138',
          payload: {
            item: 'us-third-site',
            counterMeasure: 're-aim missiles at Europe',
            condition: 'if the sites are built',
          },
          source: { publisher: 'X', title: 'Y', publishedAt: '2007-11-10' },
        }),
      );
      await readUntil(live.event.id);
      controller.abort();
    });
  });
});
