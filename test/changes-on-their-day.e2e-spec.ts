import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { claim, createTopic, record, reportOf, startCatalogApp } from './support/scenario.js';
import type { TestApp } from './support/test-app.js';

/**
 * Answers dated before what they answer counted (the outside audit's repro, 2026-12-08): a
 * rejection dated 5 January of a proposal dated "January" and reported on the 20th; an action
 * dated 10 April carrying out a threat dated "April" and reported on the 25th; a welcome dated
 * 3 June of a withdrawal from a pact dated "June" and reported on the 10th. Over HTTP: /changes
 * lists each on the day it counts, after what it answers; the summary dates each on that day; and
 * the threat carried out against Poland is among Poland's turning points, the compact line saying
 * what the full position says.
 */
describe('answers on the day they count: /changes and the summary', () => {
  let t: TestApp;
  let topic: string;
  const id = { deal: randomUUID(), rejects: randomUUID(), threat: randomUUID(), expels: randomUUID() };
  const more = { pact: randomUUID(), leaves: randomUUID(), welcomes: randomUUID() };
  const at = (day: string) => ({ source: reportOf(day.slice(0, 10)), reportedAt: `${day}T12:00:00Z` });

  beforeAll(async () => {
    t = await startCatalogApp();
    topic = await createTopic(t);
    const event = (body: Record<string, unknown>) => record(t, claim({ topic, ...body }));
    await event({
      id: id.deal,
      type: 'proposal',
      actor: 'russia',
      targets: ['united-states'],
      occurred: '2021-01',
      ...at('2021-01-20'),
      summary: 'Russia proposes joint use of the radar.',
      payload: { item: 'azerbaijan-radar', terms: 'a deal' },
    });
    await event({
      id: id.rejects,
      type: 'rejection',
      actor: 'united-states',
      targets: ['russia'],
      refersTo: id.deal,
      occurred: '2021-01-05',
      ...at('2021-01-06'),
      summary: 'The United States rejects the deal.',
      payload: { reason: 'bad deal' },
    });
    await event({
      id: more.pact,
      type: 'agreement',
      actor: 'russia',
      targets: ['united-states', 'poland'],
      occurred: '2021-02-01',
      ...at('2021-02-01'),
      summary: 'A pact is signed.',
      payload: { item: 'us-third-site', terms: 'the pact', parties: ['united-states', 'poland'], signed: true },
    });
    await event({
      id: id.threat,
      type: 'threat',
      actor: 'russia',
      targets: ['poland'],
      occurred: '2021-04',
      ...at('2021-04-25'),
      summary: 'Russia threatens Poland.',
      payload: { counterMeasure: 'expel the diplomats' },
    });
    await event({
      id: id.expels,
      type: 'action',
      actor: 'russia',
      targets: ['poland'],
      refersTo: id.threat,
      occurred: '2021-04-10',
      ...at('2021-04-11'),
      summary: 'Russia expels the diplomats.',
      payload: { act: 'expelled the diplomats' },
    });
    await event({
      id: more.leaves,
      type: 'withdrawal',
      actor: 'poland',
      targets: ['russia', 'united-states'],
      refersTo: more.pact,
      occurred: '2021-06',
      ...at('2021-06-10'),
      summary: 'Poland leaves the pact.',
      payload: { reason: 'leaving' },
    });
    await event({
      id: more.welcomes,
      type: 'statement',
      actor: 'russia',
      targets: ['poland'],
      refersTo: more.leaves,
      occurred: '2021-06-03',
      ...at('2021-06-04'),
      summary: 'Russia welcomes Poland leaving.',
      payload: { stance: 'supports' },
    });
  });
  afterAll(() => t.close());

  const summaryOf = async (party: string, day: string) =>
    (await request(t.http).get(`/parties/${party}/positions?topic=${topic}&at=${day}`).expect(200)).body.positions[0]
      .summary as string;

  it('given answers dated before what they answer counted, then /changes lists each on the day it counts, after what it answers', async () => {
    const body = (
      await request(t.http).get(`/parties/russia/changes?topic=${topic}&from=2020-12-31&to=2021-12-31`).expect(200)
    ).body;
    const changes = body.topics[0].changes.map((c: { on: string; kind: string; evidence: string }) => [
      c.on,
      c.kind,
      Object.entries(id).find(([, v]) => c.evidence.startsWith(v))?.[0] ??
        Object.entries(more).find(([, v]) => c.evidence.startsWith(v))?.[0],
    ]);
    // Each answer proves what it answers had happened by its own day (provenDays): both count
    // from then, what is answered first.
    expect(changes.filter(([, kind]: string[]) => kind !== 'stance-moved')).toEqual([
      ['2021-01-05', 'proposed', 'deal'],
      ['2021-01-05', 'received-response', 'rejects'],
      ['2021-02-01', 'agreed', 'pact'],
      ['2021-04-10', 'threatened', 'threat'],
      ['2021-04-10', 'acted', 'expels'],
      ['2021-04-10', 'threat-closed', 'expels'],
      ['2021-06-03', 'signer-left', 'leaves'],
      ['2021-06-03', 'reacted', 'welcomes'],
    ]);
  });

  it('given a welcome dated 3 June of a withdrawal dated June and reported on 10 June, then the summary says it on 3 June, from 3 June, and as known only once the withdrawal was', async () => {
    expect(await summaryOf('russia', '2021-06-02')).not.toContain('welcomed');
    expect(await summaryOf('russia', '2021-06-05')).toMatch(/welcomed the withdrawal by Poland of .* on 3 June 2021/);
    // As known on 5 June the withdrawal was not public: the welcome waits (possibly in effect).
    const known = (
      await request(t.http)
        .get(`/parties/russia/positions?topic=${topic}&at=2021-06-15&knownAt=2021-06-05T00:00:00Z`)
        .expect(200)
    ).body.positions[0];
    expect(known.summary).not.toContain('welcomed');
    expect(known.possiblyInEffect.some((e: string) => e.startsWith(more.welcomes))).toBe(true);
  });

  it('given a threat against Poland carried out, when Poland has a standing position, then its summary says it, compact as full', async () => {
    const full = await summaryOf('poland', '2021-05-01');
    expect(full).toContain(
      'saw the threat of Russia to expel the diplomats, made against it, carried out on 10 April 2021',
    );
    const compact = await request(t.http).get('/parties/poland/positions?at=2021-05-01').expect(200);
    expect(compact.body.positions.find((l: { topic: string }) => l.topic === topic).summary).toBe(full);
  });
});
