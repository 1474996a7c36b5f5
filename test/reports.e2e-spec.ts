import request from 'supertest';
import { claim, createTopic, record, startCatalogApp, withCards } from './support/scenario.js';
import type { TestApp } from './support/test-app.js';

/**
 * The same claim reported by a second outlet is one event with two sources (DESIGN section 3):
 * a `report` adds a source and quote to an existing event, every answer's card lists it (as
 * known at knownAt) with a corroboration count, and it changes no position.
 */
describe('a report: another source for an event', () => {
  let t: TestApp;
  let topic: string;
  let offer: { event: { id: string } };
  const reuters = { publisher: 'Reuters', title: 'Putin offers Azerbaijan radar', publishedAt: '2007-06-07' };
  beforeAll(async () => {
    t = await startCatalogApp();
    topic = await createTopic(t);
    offer = await record(
      t,
      claim({
        topic,
        key: 'gabala-offer',
        type: 'proposal',
        actor: 'russia',
        targets: ['united-states'],
        occurred: '2007-06-07',
        reportedAt: '2007-06-08',
        summary: 'Putin offers joint use of the Gabala radar.',
        payload: { item: 'azerbaijan-radar', terms: 'joint use of the Gabala radar' },
      }),
    );
  });
  afterAll(() => t.close());

  const cardOf = async (at: string, extra = '') => {
    const res = await request(t.http).get(`/parties/russia/positions?topic=${topic}&at=${at}${extra}`).expect(200);
    return withCards(res.body)[0]?.openProposals[0]?.evidence;
  };

  it('is listed on the event card of every answer from its reportedAt, with the corroboration count', async () => {
    const before = await request(t.http).get(`/parties/russia/positions?topic=${topic}&at=2007-06-10`).expect(200);
    const report = await record(
      t,
      claim({
        topic,
        type: 'report',
        actor: 'russia',
        targets: [],
        refersTo: 'gabala-offer',
        occurred: '2007-06-07',
        reportedAt: '2007-06-07T18:00:00Z',
        source: reuters,
        quote: 'We could use the radar together',
        summary: 'Reuters reports the Gabala offer.',
        payload: { note: 'reported from Heiligendamm the same evening' },
      }),
    );
    expect(report.event.cameo).toBeNull();
    const card = await cardOf('2007-06-10');
    expect(card.corroboration).toBe(2);
    expect(card.reports).toEqual([
      expect.objectContaining({
        eventId: report.event.id,
        source: reuters,
        quote: 'We could use the radar together',
        note: 'reported from Heiligendamm the same evening',
      }),
    ]);
    // As known before the report: the card as it was.
    const known = await cardOf('2007-06-10', '&knownAt=2007-06-07T12:00:00Z');
    expect(known).toBeUndefined(); // the event itself was reported on 8 June: not known yet either
    const knownNext = await cardOf('2007-06-10', '&knownAt=2007-06-08T12:00:00Z');
    expect(knownNext.reports).toHaveLength(1);
    // It changes no position: the same elements as before, nothing possibly in effect.
    const after = await request(t.http).get(`/parties/russia/positions?topic=${topic}&at=2007-06-10`).expect(200);
    expect(after.body.positions).toEqual(before.body.positions);
    // GET /events/:id lists it too.
    const shown = await request(t.http).get(`/events/${offer.event.id}`).expect(200);
    expect(shown.body.reports.map((r: { eventId: string }) => r.eventId)).toEqual([report.event.id]);
  });

  it('refuses a report by another actor, from the source the event already cites, or of nothing', async () => {
    const send = (overrides: Record<string, unknown>) =>
      request(t.http)
        .post('/events')
        .set(t.auth)
        .send(
          claim({
            topic,
            type: 'report',
            actor: 'russia',
            targets: [],
            refersTo: 'gabala-offer',
            occurred: '2007-06-07',
            source: { publisher: 'AP', title: 'Radar offer', publishedAt: '2007-06-08' },
            payload: {},
            ...overrides,
          }),
        );
    const other = await send({ actor: 'united-states' }).expect(422);
    expect(other.body.errors[0].field).toBe('actor');
    const same = await send({
      source: {
        publisher: 'The Washington Post',
        title: 'Putin Offers to Join Missile Shield Effort',
        publishedAt: '2007-06-08',
      },
    }).expect(422);
    expect(same.body.errors[0].field).toBe('source');
    const nothing = await send({ refersTo: undefined });
    expect(nothing.status).toBeGreaterThanOrEqual(400);
    expect(nothing.status).toBeLessThan(500);
    expect(JSON.stringify(nothing.body.errors)).toContain('refersTo');
  });

  it('leaves the card once retracted', async () => {
    const ap = await record(
      t,
      claim({
        topic,
        type: 'report',
        actor: 'russia',
        targets: [],
        refersTo: 'gabala-offer',
        occurred: '2007-06-07',
        source: { publisher: 'AP', title: 'Radar offer', publishedAt: '2007-06-09' },
        summary: 'AP reports the offer.',
        payload: {},
      }),
    );
    expect((await cardOf('2007-06-10')).corroboration).toBe(3);
    await record(
      t,
      claim({
        topic,
        type: 'retraction',
        actor: 'russia',
        targets: [],
        refersTo: ap.event.id,
        occurred: '2007-06-10',
        source: { publisher: 'Stance', title: 'Retraction', publishedAt: '2007-06-10' },
        summary: 'The AP story was about another offer.',
        payload: { reason: 'the AP story was about another offer' },
      }),
    );
    const card = await cardOf('2007-06-10');
    expect(card.corroboration).toBe(2);
    expect(card.reports.map((r: { eventId: string }) => r.eventId)).not.toContain(ap.event.id);
  });
});
