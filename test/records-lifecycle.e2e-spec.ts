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
 * Records and their lifecycle over HTTP (docs/architecture.md, "Records and their lifecycle";
 * audit of 2026-12-07): a record about an item that had already ended is moot from its own day,
 * whichever report came first; a signing of a proposal already accepted is recorded on it.
 * Audit 2: a concession closes with what it is about, and one on the author's own proposal by its
 * item backs down on it; a signer leaves an agreement once.
 */
describe('records and their lifecycle, over HTTP', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startCatalogApp();
  });
  afterAll(() => t.close());

  const source = reportOf;
  const us = US_TO_RUSSIA;
  const ru = RUSSIA_TO_US;

  const positionOf = async (party: string, topic: string, at: string) =>
    withCards(
      (await request(t.http).get(`/parties/${party}/positions?topic=${topic}&at=${at}&history=all`).expect(200)).body,
    )[0];

  describe('a record about an item already ended (finding 7)', () => {
    /** The plan (1 January 2021) and its withdrawal (10 January, reported on 1 February), then a freeze demand, a threat and a sub-item's offer on it. */
    const events = (topic: string, ids: Record<string, string>) => [
      claim({
        id: ids.plan,
        topic,
        ...us,
        type: 'proposal',
        occurred: '2021-01-01',
        source: source('2021-01-01'),
        payload: { item: 'us-third-site', terms: 'the site' },
      }),
      claim({
        id: ids.end,
        topic,
        ...us,
        type: 'withdrawal',
        refersTo: ids.plan,
        occurred: '2021-01-10',
        source: source('2021-02-01'),
        payload: {},
      }),
      claim({
        id: ids.freeze,
        topic,
        ...ru,
        type: 'freeze_demand',
        occurred: '2021-01-15',
        source: source('2021-01-15'),
        payload: { item: 'us-third-site', action: 'the deployment of the site' },
      }),
      claim({
        id: ids.threat,
        topic,
        ...ru,
        type: 'threat',
        occurred: '2021-01-16',
        source: source('2021-01-16'),
        payload: { item: 'us-third-site', counterMeasure: 'aim missiles at the site' },
      }),
      claim({
        id: ids.sub,
        topic,
        ...ru,
        type: 'proposal',
        occurred: '2021-01-17',
        source: source('2021-01-17'),
        payload: {
          item: 'site-inspections',
          itemTitle: 'Inspections',
          itemParent: 'us-third-site',
          terms: 'inspections',
        },
      }),
    ];
    /** Russia's position with the events' ids named by their role, so two topics compare. */
    const named = async (topic: string, ids: Record<string, string>, at: string) => {
      const byId = new Map(Object.entries(ids).map(([name, id]) => [id, name]));
      const text = JSON.stringify(await positionOf('russia', topic, at)).replace(
        /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g,
        (id) => byId.get(id) ?? id,
      );
      return JSON.parse(text.replaceAll(topic, 'TOPIC'));
    };
    const newIds = () => ({
      plan: randomUUID(),
      end: randomUUID(),
      freeze: randomUUID(),
      threat: randomUUID(),
      sub: randomUUID(),
    });

    it('lists a freeze demand, a threat and an offer made after the end as moot from their own day, never active', async () => {
      const topic = await createTopic(t);
      const ids = newIds();
      for (const body of events(topic, ids)) await record(t, body);
      for (const at of ['2021-01-20', '2022-06-01']) {
        const russia = await positionOf('russia', topic, at);
        expect(russia.activeDemands).toEqual([]);
        expect(russia.activeThreats).toEqual([]);
        expect(russia.openProposals).toEqual([]);
        expect(
          russia.closed.map(
            (c: { eventId: string; status: string; closed: { on: string; evidence: { eventId: string } } }) => [
              c.eventId,
              c.status,
              c.closed.on,
              c.closed.evidence.eventId,
            ],
          ),
        ).toEqual([
          [ids.sub, 'moot', '2021-01-17', ids.end],
          [ids.threat, 'moot', '2021-01-16', ids.end],
          [ids.freeze, 'moot', '2021-01-15', ids.end],
        ]);
        expect(russia.summary).not.toMatch(/threatens|demands/);
      }
      expect((await positionOf('united-states', topic, '2021-01-20')).demandsOnParty).toEqual([]);
    });

    it('reads the same when the end of the plan arrives after them, and a rebuild agrees', async () => {
      const first = await createTopic(t);
      const firstIds = newIds();
      for (const body of events(first, firstIds)) await record(t, body);
      const last = await createTopic(t);
      const lastIds = newIds();
      const [plan, end, ...rest] = events(last, lastIds);
      for (const body of [plan, ...rest, end]) await record(t, body);
      for (const at of ['2021-01-12', '2021-01-16', '2021-02-02']) {
        const reported = await named(last, lastIds, at);
        expect(reported).toEqual(await named(first, firstIds, at));
        expect(reported.activeThreats).toEqual([]);
      }
      const inline = await named(last, lastIds, '2021-02-02');
      await t.dataSource.transaction((manager) => t.app.get(PositionProjection).rebuildTopic(manager, last));
      expect(await named(last, lastIds, '2021-02-02')).toEqual(inline);
    });
  });

  describe('an event counts no later than the day it was reported (outside audit F4)', () => {
    /** Russia's statement dated July 2022, reported on 10 July; the US plan dated July 2022, reported on 12 July. */
    const events = (topic: string) => [
      claim({
        topic,
        ...ru,
        type: 'statement',
        occurred: '2022-07',
        source: source('2022-07-10'),
        payload: { item: 'us-third-site', stance: 'opposes', reason: 'it threatens Russian security' },
      }),
      claim({
        topic,
        ...us,
        type: 'proposal',
        occurred: '2022-07',
        source: source('2022-07-12'),
        payload: { item: 'azerbaijan-radar', terms: 'joint use of the radar' },
      }),
    ];
    const positionKnown = async (party: string, topic: string, query: string) =>
      withCards((await request(t.http).get(`/parties/${party}/positions?topic=${topic}&${query}`).expect(200)).body)[0];
    const stanceOf = (position: { items: { item: string; stance: string; since: string }[] }, item: string) =>
      position.items.filter((i) => i.item === item).map((i) => `${i.stance} since ${i.since}`);

    it('counts a statement dated by its month from its report day, on the stored path and as known at a date, and its summary says it', async () => {
      const topic = await createTopic(t);
      const [statement, plan] = events(topic);
      const said = (await record(t, statement)).event.id as string;
      await record(t, plan);
      for (const query of ['at=2022-07-15', 'at=2022-07-15&knownAt=2022-07-12']) {
        const russia = await positionKnown('russia', topic, query);
        expect({ query, stance: stanceOf(russia, 'us-third-site') }).toEqual({
          query,
          stance: ['opposes since 2022-07-10'],
        });
        expect(russia.possiblyInEffect.map((e: { eventId: string }) => e.eventId)).not.toContain(said);
        expect(russia.summary).toMatch(
          /^As of 15 July 2022, (as publicly known on 12 July 2022, )?Russia opposed the US third site in Poland and the Czech Republic\.$/,
        );
        // The card shows the date as the source gave it: July 2022
        expect(russia.items[0].evidence.occurred).toMatchObject({
          from: '2022-07-01',
          to: '2022-07-31',
          precision: 'month',
        });
      }
      expect(stanceOf(await positionKnown('russia', topic, 'at=2022-07-31'), 'us-third-site')).toEqual([
        'opposes since 2022-07-10',
      ]);
      // Before its report it may have happened: listed, not counted
      const before = await positionKnown('russia', topic, 'at=2022-07-09');
      expect(stanceOf(before, 'us-third-site')).toEqual([]);
      expect(before.possiblyInEffect.map((e: { eventId: string }) => e.eventId)).toContain(said);
      expect(before.summary).toContain('had taken no recorded position');
      // ...and the summary says so, not only "no recorded position"
      expect(before.summary).toContain(
        `though ${before.possiblyInEffect.length} events involving Russia, not counted yet, had begun by that day`,
      );
      // The plan is the news of its day, said in its source’s words
      const plan15 = await positionKnown('united-states', topic, 'at=2022-07-15');
      expect(plan15.summary).toContain('proposed joint use of the Gabala radar in July 2022');
      expect(plan15.possiblyInEffect).toEqual([]);
    });

    it('reads the same on every path: the topic’s positions, the compact view, and after a rebuild', async () => {
      const topic = await createTopic(t);
      for (const body of events(topic)) await record(t, body);
      const full = await positionKnown('russia', topic, 'at=2022-07-15');
      const ofTopic = withCards(
        (await request(t.http).get(`/topics/${topic}/positions?at=2022-07-15`).expect(200)).body,
      ).find((p: { party: string }) => p.party === 'russia');
      expect(stanceOf(ofTopic, 'us-third-site')).toEqual(['opposes since 2022-07-10']);
      expect(ofTopic.summary).toBe(full.summary);
      const compact = (
        await request(t.http).get('/parties/russia/positions?at=2022-07-15').expect(200)
      ).body.positions.find((p: { topic: string }) => p.topic === topic);
      expect(compact.summary).toBe(full.summary);
      await t.dataSource.transaction((manager) => t.app.get(PositionProjection).rebuildTopic(manager, topic));
      expect(await positionKnown('russia', topic, 'at=2022-07-15')).toEqual(full);
    });
  });

  describe('an event counts from the day an answer to it proves it had happened by (provenDays)', () => {
    /** The US plan dated 1-10 June 2007, reported on the 11th; Russia's rejection of it dated 5 June, reported on the 6th. */
    const events = (topic: string, ids: { plan: string; no: string }) => [
      claim({
        id: ids.plan,
        topic,
        ...us,
        type: 'proposal',
        occurred: '2007-06-01/2007-06-10',
        source: source('2007-06-11'),
        payload: { item: 'us-third-site', terms: 'the site' },
      }),
      claim({
        id: ids.no,
        topic,
        ...ru,
        type: 'rejection',
        refersTo: ids.plan,
        occurred: '2007-06-05',
        source: source('2007-06-06'),
        payload: { reason: 'the site threatens Russia' },
      }),
    ];
    const positionAt = async (party: string, topic: string, query: string) =>
      withCards((await request(t.http).get(`/parties/${party}/positions?topic=${topic}&${query}`).expect(200)).body)[0];
    const shown = (position: {
      items: { item: string; stance: string; since: string }[];
      openProposals: { eventId: string }[];
    }) => ({
      stances: position.items.map((i) => `${i.item}: ${i.stance} since ${i.since}`),
      proposals: position.openProposals.map((p) => p.eventId),
    });

    it('shows on the 7th the rejection and the proposal it rejects, on the stored path and as known once both were reported, and nothing reported after knownAt', async () => {
      const topic = await createTopic(t);
      const ids = { plan: randomUUID(), no: randomUUID() };
      // The plan first: the rejection, appended after it, moves it earlier (the projection refolds from the 5th).
      for (const body of events(topic, ids)) await record(t, body);
      for (const query of ['at=2007-06-07', 'at=2007-06-07&knownAt=2007-06-11T23:00:00Z']) {
        const russia = await positionAt('russia', topic, query);
        const states = await positionAt('united-states', topic, query);
        expect({ query, russia: shown(russia).stances, us: shown(states) }).toEqual({
          query,
          russia: ['us-third-site: rejected since 2007-06-05'],
          us: { stances: ['us-third-site: proposer since 2007-06-05'], proposals: [ids.plan] },
        });
      }
      // As known on the 6th the plan was not reported yet (the 11th): nothing reported after knownAt shows.
      const known6 = await positionAt('united-states', topic, 'at=2007-06-07&knownAt=2007-06-06T23:00:00Z');
      expect(known6?.openProposals ?? []).toEqual([]);
      const known5 = await positionAt('russia', topic, 'at=2007-06-07&knownAt=2007-06-05T23:00:00Z');
      expect(known5?.items ?? []).toEqual([]);
      // Before the 5th the plan may have happened: listed, not counted.
      const onThe4th = await positionAt('united-states', topic, 'at=2007-06-04');
      expect(shown(onThe4th).proposals).toEqual([]);
      expect(onThe4th.possiblyInEffect.map((e: { eventId: string }) => e.eventId)).toEqual([ids.plan]);
      // The replay, which the page's slider steps through, counts both from the 5th.
      const replay = (await request(t.http).get(`/topics/${topic}/replay`).expect(200)).body;
      expect(
        replay.steps.map((s: { event: { id: string }; countsFrom: string }) => [s.event.id, s.countsFrom]),
      ).toEqual([
        [ids.plan, '2007-06-05'],
        [ids.no, '2007-06-05'],
      ]);
      // What the writer stored is what a rebuild stores.
      const stored = await positionAt('united-states', topic, 'at=2007-06-07');
      await t.dataSource.transaction((manager) => t.app.get(PositionProjection).rebuildTopic(manager, topic));
      expect(await positionAt('united-states', topic, 'at=2007-06-07')).toEqual(stored);
    });

    it('keeps the proposal’s own day as known before a rejection reported late, and moves it once that is known', async () => {
      const topic = await createTopic(t);
      const ids = { plan: randomUUID(), no: randomUUID() };
      const [plan, no] = events(topic, ids);
      await record(t, plan);
      await record(t, { ...no, source: source('2007-06-20') });
      const known12 = await positionAt('united-states', topic, 'at=2007-06-07&knownAt=2007-06-12T00:00:00Z');
      expect(shown(known12).proposals).toEqual([]);
      expect(shown(await positionAt('united-states', topic, 'at=2007-06-10&knownAt=2007-06-12T00:00:00Z'))).toEqual({
        stances: ['us-third-site: proposer since 2007-06-10'],
        proposals: [ids.plan],
      });
      expect(shown(await positionAt('united-states', topic, 'at=2007-06-07')).proposals).toEqual([ids.plan]);
    });
  });

  describe('a signing of a proposal already accepted (finding 4)', () => {
    it('records it among the proposal’s answers, and keeps it beneath the same party’s later rejection', async () => {
      const topic = await createTopic(t);
      const plan = await record(
        t,
        claim({
          topic,
          ...us,
          type: 'proposal',
          occurred: '2021-01-01',
          source: source('2021-01-01'),
          payload: { item: 'us-third-site', terms: 'the site' },
        }),
      );
      const p1 = plan.event.id as string;
      const answer = (actor: string, type: string, day: string) =>
        record(
          t,
          claim({
            topic,
            actor,
            targets: ['united-states'],
            speaker: undefined,
            type,
            refersTo: p1,
            occurred: day,
            source: source(day),
            payload: type === 'agreement' ? { terms: 'the site' } : { reason: 'not now' },
          }),
        );
      const russiaSigns = (await answer('russia', 'agreement', '2021-01-10')).event.id;
      const polandSigns = (await answer('poland', 'agreement', '2021-01-12')).event.id;
      const polandRejects = (await answer('poland', 'rejection', '2021-01-14')).event.id;

      const [closed] = (await positionOf('united-states', topic, '2021-01-13')).closed;
      expect(closed).toMatchObject({ eventId: p1, status: 'accepted' });
      expect(
        closed.responses.map((r: { party: string; response: string; evidence: { eventId: string } }) => [
          r.party,
          r.response,
          r.evidence.eventId,
        ]),
      ).toEqual([
        ['poland', 'accepted', polandSigns],
        ['russia', 'accepted', russiaSigns],
      ]);
      const poland = await positionOf('poland', topic, '2021-01-13');
      expect(poland.closedConcerningParty.map((c: { eventId: string }) => c.eventId)).toEqual([p1]);

      const later = (await positionOf('poland', topic, '2021-01-15')).closedConcerningParty[0];
      const answered = later.responses.find((r: { party: string }) => r.party === 'poland');
      expect(answered).toMatchObject({
        response: 'rejected',
        evidence: expect.objectContaining({ eventId: polandRejects }),
        earlier: [
          expect.objectContaining({
            response: 'accepted',
            evidence: expect.objectContaining({ eventId: polandSigns }),
          }),
        ],
      });
    });
  });

  describe('a concession closes with what it is about (audit 2, finding 3)', () => {
    /** The US plan (5 January 2022) and its sub-item (6 January); Russia concedes on each, no refersTo. */
    const plan = (topic: string) =>
      claim({
        topic,
        ...us,
        type: 'proposal',
        occurred: '2022-01-05',
        source: source('2022-01-05'),
        payload: { item: 'us-third-site', terms: 'a radar and ten interceptors' },
      });
    const subOffer = (topic: string) =>
      claim({
        topic,
        ...us,
        type: 'proposal',
        occurred: '2022-01-06',
        source: source('2022-01-06'),
        payload: {
          item: 'site-fish',
          itemTitle: 'fish ladders at the site',
          itemParent: 'us-third-site',
          terms: 'ladders',
        },
      });
    const concession = (topic: string, who: Record<string, unknown>, item: string, terms: string, day: string) =>
      claim({ topic, ...who, type: 'concession', occurred: day, source: source(day), payload: { item, terms } });
    type Closed = {
      record: string;
      eventId: string;
      status: string;
      closed: { on: string; evidence: { eventId: string } };
    };
    const brief = (list: Closed[]) =>
      list.map((c) => [c.record, c.eventId, c.status, c.closed.on, c.closed.evidence.eventId]);

    it('lists concessions on a withdrawn plan and its sub-item as moot from the withdrawal, and the summary and changes say so', async () => {
      const topic = await createTopic(t);
      const p = (await record(t, plan(topic))).event.id;
      await record(t, subOffer(topic));
      const onPlan = (
        await record(t, concession(topic, ru, 'us-third-site', 'Russia allows a radar alone', '2022-01-10'))
      ).event.id;
      const onSub = (await record(t, concession(topic, ru, 'site-fish', 'Russia funds the ladders', '2022-01-11')))
        .event.id;
      const end = (
        await record(
          t,
          claim({
            topic,
            ...us,
            type: 'withdrawal',
            refersTo: p,
            occurred: '2022-02-01',
            source: source('2022-02-01'),
            payload: { reason: 'plan dropped' },
          }),
        )
      ).event.id;
      const before = await positionOf('russia', topic, '2022-01-20');
      expect(before.concessions.map((c: { eventId: string }) => c.eventId)).toEqual([onPlan, onSub]);
      for (const at of ['2022-03-01', '2023-06-01']) {
        const russia = await positionOf('russia', topic, at);
        expect(russia.concessions).toEqual([]);
        expect(brief(russia.closed)).toEqual([
          ['concession', onPlan, 'moot', '2022-02-01', end],
          ['concession', onSub, 'moot', '2022-02-01', end],
        ]);
        expect(russia.summary).not.toContain('had conceded');
      }
      expect((await positionOf('russia', topic, '2022-03-01')).summary).toContain(
        'made moot by the United States on 1 February 2022',
      );
      const changes = await request(t.http)
        .get(`/parties/russia/changes?topic=${topic}&from=2022-01-20&to=2022-03-01`)
        .expect(200);
      expect(JSON.stringify(changes.body)).toContain('concession-closed');
      // The projection the writers kept is a rebuild's
      const inline = await positionOf('russia', topic, '2022-03-01');
      await t.dataSource.transaction((manager) => t.app.get(PositionProjection).rebuildTopic(manager, topic));
      expect(await positionOf('russia', topic, '2022-03-01')).toEqual(inline);
    });

    it('closes its author’s open proposal when it concedes on the proposal’s item without naming it', async () => {
      const topic = await createTopic(t);
      const p = (await record(t, plan(topic))).event.id;
      const onPlan = (
        await record(t, concession(topic, ru, 'us-third-site', 'Russia allows a radar alone', '2022-01-10'))
      ).event.id;
      const own = (await record(t, concession(topic, us, 'us-third-site', 'the US lowers the radar', '2022-01-12')))
        .event.id;
      const usNow = await positionOf('united-states', topic, '2022-01-20');
      expect(usNow.openProposals).toEqual([]);
      expect(brief(usNow.closed)).toEqual([['proposal', p, 'conceded', '2022-01-12', own]]);
      expect(usNow.concessions).toEqual([
        expect.objectContaining({ eventId: own, backsDownOn: expect.objectContaining({ event: p }) }),
      ]);
      expect(usNow.items[0]).toMatchObject({ item: 'us-third-site', stance: 'withdrawn' });
      expect(usNow.summary).toMatch(/backed down on its proposal on the US third site.* on 12 January 2022/);
      expect(usNow.summary).not.toMatch(/proposed|had conceded/);
      // It ended the plan: Russia's concession on it is moot by it.
      expect(brief((await positionOf('russia', topic, '2022-01-20')).closed)).toEqual([
        ['concession', onPlan, 'moot', '2022-01-12', own],
      ]);
      // And the plan can no longer be withdrawn: it is conceded.
      const refused = await request(t.http)
        .post('/events')
        .set(t.auth)
        .send(
          claim({
            topic,
            ...us,
            type: 'withdrawal',
            refersTo: p,
            occurred: '2022-02-01',
            source: source('2022-02-01'),
            payload: {},
          }),
        )
        .expect(422);
      expect(refused.body.errors[0]).toMatchObject({ field: 'refersTo' });
      expect(refused.body.errors[0].problem).toContain('is not active any more (conceded)');
    });

    it('makes a concession naming a demand and no item about the demand’s item, moot when the plan ends; refuses one naming another item, writing nothing', async () => {
      const topic = await createTopic(t);
      const p = (await record(t, plan(topic))).event.id;
      const demand = (
        await record(
          t,
          claim({
            topic,
            ...us,
            type: 'demand',
            occurred: '2022-01-07',
            source: source('2022-01-07'),
            payload: { item: 'us-third-site', demand: 'accept the radar' },
          }),
        )
      ).event.id;
      const meet = (item?: string) =>
        claim({
          topic,
          ...ru,
          type: 'concession',
          refersTo: demand,
          occurred: '2022-01-08',
          source: source('2022-01-08'),
          payload: { ...(item ? { item } : {}), terms: 'Russia accepts the radar' },
        });
      const count = async () => (await request(t.http).get(`/events?topic=${topic}`).expect(200)).body.events.length;
      const otherItem = await request(t.http).post('/events').set(t.auth).send(meet('azerbaijan-radar')).expect(422);
      expect(otherItem.body.errors).toEqual([
        {
          field: 'payload.item',
          problem: expect.stringContaining(
            `names "azerbaijan-radar", but the demand ${demand} it meets is about "us-third-site"`,
          ),
        },
      ]);
      expect(await count()).toBe(2);
      const met = (await record(t, meet())).event.id;
      // Its record is about the demand's item: listed with it while it stands...
      expect((await positionOf('russia', topic, '2022-01-20')).concessions).toEqual([
        expect.objectContaining({ eventId: met, item: 'us-third-site' }),
      ]);
      const end = (
        await record(
          t,
          claim({
            topic,
            ...us,
            type: 'withdrawal',
            refersTo: p,
            occurred: '2022-02-01',
            source: source('2022-02-01'),
            payload: { reason: 'plan dropped' },
          }),
        )
      ).event.id;
      // ...and moot, with it, when the plan ends.
      const russia = await positionOf('russia', topic, '2022-03-01');
      expect(russia.concessions).toEqual([]);
      expect(russia.closed.filter((c: Closed) => c.record === 'concession')).toEqual([
        expect.objectContaining({ eventId: met, item: 'us-third-site', status: 'moot' }),
      ]);
      expect(brief(russia.closed.filter((c: Closed) => c.record === 'concession'))).toEqual([
        ['concession', met, 'moot', '2022-02-01', end],
      ]);
      // The projection the writers kept is a rebuild's
      await t.dataSource.transaction((manager) => t.app.get(PositionProjection).rebuildTopic(manager, topic));
      expect(await positionOf('russia', topic, '2022-03-01')).toEqual(russia);
    });
  });

  describe('a signer leaves an agreement once (audit 2, finding 6)', () => {
    const deal = (topic: string, id: string) =>
      claim({
        id,
        topic,
        type: 'agreement',
        actor: 'united-states',
        targets: [],
        speaker: undefined,
        occurred: '2015-07-14',
        source: source('2015-07-14'),
        payload: { parties: ['russia'], terms: 'the joint plan', signed: true },
      });
    const leave = (topic: string, refersTo: string, day: string) =>
      claim({
        topic,
        type: 'withdrawal',
        actor: 'russia',
        targets: [],
        speaker: undefined,
        refersTo,
        occurred: day,
        source: source(day),
        payload: {},
      });

    it('refuses a second withdrawal of the same signer with 422 on refersTo, writing nothing', async () => {
      const topic = await createTopic(t);
      const id = randomUUID();
      await record(t, deal(topic, id));
      const left = (await record(t, leave(topic, id, '2018-05-08'))).event.id;
      const version = async () =>
        (await request(t.http).get(`/events?topic=${topic}`).expect(200)).body.events.length as number;
      const recorded = await version();
      const again = await request(t.http)
        .post('/events')
        .set(t.auth)
        .send(leave(topic, id, '2018-06-01'))
        .expect(422);
      expect(again.body.errors[0]).toMatchObject({ field: 'refersTo' });
      expect(again.body.errors[0].problem).toContain(
        `the agreement ${id} is not in force for russia any more (withdrawn by ${left} on 2018-05-08)`,
      );
      // Dated before the first, it is refused too, naming the withdrawal that could not follow it.
      const earlier = await request(t.http)
        .post('/events')
        .set(t.auth)
        .send(leave(topic, id, '2018-05-01'))
        .expect(422);
      expect(earlier.body).toMatchObject({ errors: [{ field: 'occurred' }], conflictsWith: left });
      expect(await version()).toBe(recorded);
      const russia = await positionOf('russia', topic, '2018-07-01');
      expect(russia.acts[0].left.map((l: { party: string }) => l.party)).toEqual(['russia']);
    });

    it('refuses it in a bulk import too, reporting the line', async () => {
      const topic = await createTopic(t);
      const id = randomUUID();
      const file = join(mkdtempSync(join(tmpdir(), 'stance-leave-twice-')), 'events.jsonl');
      const lines = [deal(topic, id), leave(topic, id, '2018-05-08'), leave(topic, id, '2018-06-01')];
      writeFileSync(file, lines.map((l) => JSON.stringify(l)).join('\n') + '\n');
      const report = await t.app.get(BulkImporter).importFile(file, { batchSize: 2 });
      expect(report.recorded).toBe(2);
      expect(report.bad.map((b) => b.line)).toEqual([3]);
      expect(report.bad[0].message).toContain('refersTo: the agreement');
    });
  });
});
