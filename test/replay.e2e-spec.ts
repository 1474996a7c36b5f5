import request from 'supertest';
import { type EvidenceMap, inlineEvidence, type WithRefs } from '../src/diplomacy/domain/positions/evidence-map.js';
import { openEventStream } from './support/server-process.js';
import { expectAStepOnEveryDayAPositionChanges } from './support/replay-days.js';
import { claim, createTopic, record, startCatalogApp, withCards } from './support/scenario.js';
import type { TestApp } from './support/test-app.js';

type Step = {
  step: number;
  countsFrom: string | null;
  event: { id: string; type: string };
  retractedBy?: string;
  positions: { party: string; retracted: { evidence: { eventId: string } }[] }[];
};

/** Dated on `occurred`, reported on `reportedAt` (its source published that day). */
const dated = (occurred: string, reportedAt: string) => ({
  occurred,
  reportedAt,
  source: { publisher: 'Test Wire', title: `Report of ${reportedAt}`, publishedAt: reportedAt },
});

describe('replay: a step on every day a position changes', () => {
  let t: TestApp;
  let topic: string;
  let ids: { demand: string; rejection: string; support: string; demandRetraction: string; supportRetraction: string };
  const replay = async (query = '') =>
    withCards((await request(t.http).get(`/topics/${topic}/replay${query}`).expect(200)).body, 'steps') as Step[];

  beforeAll(async () => {
    t = await startCatalogApp();
    topic = await createTopic(t);
    // A demand of October 2007 (begun on the 1st, counted from the 31st), refused in November;
    // Poland's only record; both retracted on 1 December.
    const demand = await record(
      t,
      claim({
        topic,
        type: 'demand',
        targets: ['united-states'],
        ...dated('2007-10', '2007-11-02'),
        payload: { item: 'us-third-site', demand: 'freeze the third site' },
        summary: 'Russia demands a freeze of the third site.',
      }),
    );
    const rejection = await record(
      t,
      claim({
        topic,
        type: 'rejection',
        actor: 'united-states',
        targets: ['russia'],
        speaker: { name: 'Robert Gates' },
        refersTo: demand.event.id,
        ...dated('2007-11-05', '2007-11-06'),
        payload: { reason: 'no' },
        summary: 'The United States refuses the freeze.',
      }),
    );
    const support = await record(
      t,
      claim({
        topic,
        actor: 'poland',
        targets: ['united-states'],
        speaker: undefined,
        ...dated('2007-10-15', '2007-10-16'),
        payload: { item: 'us-third-site', stance: 'supports' },
        summary: 'Poland supports the third site.',
      }),
    );
    await record(t, claim({ topic, ...dated('2007-10-20', '2007-10-21') }));
    const retraction = (refersTo: string, actor: string) =>
      record(
        t,
        claim({
          topic,
          type: 'retraction',
          actor,
          targets: [],
          speaker: undefined,
          quote: undefined,
          refersTo,
          ...dated('2007-12-01', '2007-12-01'),
          payload: { reason: 'the source misattributed it' },
          summary: 'Retraction.',
        }),
      );
    const [demandRetraction, supportRetraction] = [
      await retraction(demand.event.id, 'russia'),
      await retraction(support.event.id, 'poland'),
    ];
    ids = {
      demand: demand.event.id,
      rejection: rejection.event.id,
      support: support.event.id,
      demandRetraction: demandRetraction.event.id,
      supportRetraction: supportRetraction.event.id,
    };
  });
  afterAll(() => t.close());

  it("shows a retracted record on the day it began, with its author's position listing it, and numbers only the fold's steps", async () => {
    const steps = await replay();
    const retracted = steps.filter((s) => s.retractedBy);
    expect(retracted.map((s) => [s.event.id, s.retractedBy, s.countsFrom, s.step])).toEqual([
      [ids.demand, ids.demandRetraction, '2007-10-01', -1],
      [ids.support, ids.supportRetraction, '2007-10-15', -1],
    ]);
    for (const step of retracted)
      expect(step.positions.map((p) => [p.party, p.retracted.map((r) => r.evidence.eventId)])).toEqual([
        [step.event.id === ids.demand ? 'russia' : 'poland', [step.event.id]],
      ]);
    // In topic order, by day; the fold's steps numbered from 1 without a gap.
    const days = steps.map((s) => s.countsFrom!);
    expect(days).toEqual([...days].sort());
    expect(steps.filter((s) => s.step !== -1).map((s) => s.step)).toEqual(
      steps.filter((s) => s.step !== -1).map((_, i) => i + 1),
    );
    // A range of days shows the retracted record whose day is in it.
    expect((await replay('?from=2007-10-01&to=2007-10-01')).map((s) => s.event.id)).toEqual([ids.demand]);
  });

  it('shows the record as an ordinary step, counted, before the retraction was known', async () => {
    const steps = await replay('?knownAt=2007-11-30T00:00:00.000Z');
    const demand = steps.find((s) => s.event.id === ids.demand)!;
    expect(demand).toMatchObject({ countsFrom: '2007-10-31' });
    expect(demand.step).toBeGreaterThan(0);
    expect(demand.retractedBy).toBeUndefined();
    expect(steps.filter((s) => s.retractedBy)).toEqual([]);
  });

  it.each([undefined, '2007-10-16T00:00:00.000Z', '2007-11-30T00:00:00.000Z', '2007-12-02T00:00:00.000Z'])(
    'has a step showing the position read that day on every day a position changes, known at %s',
    async (knownAt) => {
      expect(await expectAStepOnEveryDayAPositionChanges(t.http, topic, knownAt)).toBeGreaterThan(1);
    },
  );

  it('streams a retraction after the step of the record it retracts, shown retracted, which carries no id', async () => {
    if (!t.http.listening) await t.app.listen(0, '127.0.0.1');
    const { port } = t.http.address() as { port: number };
    const stream = await openEventStream(`http://127.0.0.1:${port}/topics/${topic}/replay`);
    try {
      await stream.until((events) => events.some((e) => e.event === 'caught-up'));
      const sent = stream.events.length;
      const threat = await record(
        t,
        claim({
          topic,
          type: 'threat',
          ...dated('2008-01-10', '2008-01-10'),
          cameo: '138',
          payload: { item: 'us-third-site', counterMeasure: 're-aim missiles', condition: 'if the sites are built' },
        }),
      );
      const retraction = await record(
        t,
        claim({
          topic,
          type: 'retraction',
          targets: [],
          speaker: undefined,
          quote: undefined,
          refersTo: threat.event.id,
          ...dated('2008-01-12', '2008-01-12'),
          payload: { reason: 'no such threat' },
          summary: 'Retraction.',
        }),
      );
      await stream.until((events) => events.slice(sent).filter((e) => e.event === 'step').length === 3);
      // Each streamed step carries the cards it cites.
      const live = stream.events.slice(sent).map((e) => {
        const data = JSON.parse(e.data) as WithRefs<Step> & { evidence: EvidenceMap };
        return { id: e.id, step: inlineEvidence<Step>(data, data.evidence) };
      });
      expect(live.map(({ id, step }) => [id, step.event.id, step.retractedBy, step.countsFrom, step.step])).toEqual([
        [String(threat.event.position), threat.event.id, undefined, '2008-01-10', expect.any(Number)],
        [undefined, threat.event.id, retraction.event.id, '2008-01-10', -1],
        [String(retraction.event.position), retraction.event.id, undefined, null, -1],
      ]);
      expect(live[1].step.positions.map((p) => p.party)).toEqual(['russia']);
      expect(live[1].step.positions[0].retracted.map((r) => r.evidence.eventId)).toEqual([ids.demand, threat.event.id]);
    } finally {
      stream.close();
    }
  });
});
