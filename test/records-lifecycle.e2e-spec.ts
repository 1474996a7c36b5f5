import { randomUUID } from 'node:crypto';
import request from 'supertest';
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
});
