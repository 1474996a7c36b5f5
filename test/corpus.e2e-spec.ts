import { readFileSync } from 'node:fs';
import request from 'supertest';
import { evidenceOf } from '../src/diplomacy/domain/evolve.js';
import { toRecorded } from '../src/diplomacy/recorded-events.js';
import { SeedLoader, seedId } from '../src/diplomacy/seeds/seed-loader.js';
import { EventStore } from '../src/event-store/event-store.js';
import { claim, record } from './support/scenario.js';
import { startTestApp, type TestApp } from './support/test-app.js';

/** What the three articles say, as checks of positions at dates (seeds/expectations.json). */
interface Check {
  says: string;
  party: string;
  topic: string;
  at: string;
  knownAt: string | null;
  openProposals?: Sets;
  activeDemands?: Sets;
  demandsOnParty?: Sets;
  activeThreats?: Sets;
  concessions?: Sets;
  responses?: Sets;
  itemStances?: Record<string, string>;
}
interface Sets {
  includes: string[];
  excludes: string[];
}

const checks: Check[] = JSON.parse(readFileSync('seeds/expectations.json', 'utf8'));

/** The real application on a fresh database, with the seed corpus loaded. */
async function startSeededApp(): Promise<TestApp> {
  const t = await startTestApp();
  const report = await t.app.get(SeedLoader).load();
  expect(report.recorded).toBeGreaterThan(60);
  return t;
}

describe('the seed corpus: three articles on the 2007-2008 missile-defense dispute', () => {
  // Read by every test but the evidence-card one, which records an event and so loads a corpus of its own.
  let t: TestApp;

  beforeAll(async () => {
    t = await startSeededApp();
  });
  afterAll(() => t.close());

  it('loads idempotently: a second load records nothing new', async () => {
    const before = await request(t.http).get('/log?limit=1000').expect(200);
    const again = await t.app.get(SeedLoader).load();
    expect(again.recorded).toBe(0);
    expect(again.alreadyThere).toBe(before.body.events.length);
    const after = await request(t.http).get('/log?limit=1000').expect(200);
    expect(after.body.events.length).toBe(before.body.events.length);
  });

  it.each(checks.map((c) => [c.says, c] as const))('%s', async (_says, check) => {
    const query = `topic=${check.topic}&at=${check.at}${check.knownAt ? `&knownAt=${check.knownAt}` : ''}`;
    const res = await request(t.http).get(`/parties/${check.party}/positions?${query}`).expect(200);
    const position = res.body.positions[0] ?? {
      items: [],
      openProposals: [],
      activeDemands: [],
      demandsOnParty: [],
      activeThreats: [],
      concessions: [],
      responses: [],
    };
    const ids = (list: { eventId?: string; evidence: { eventId: string } }[]) =>
      list.map((e) => e.eventId ?? e.evidence.eventId);
    const lists: Record<string, string[]> = {
      openProposals: ids(position.openProposals),
      activeDemands: ids(position.activeDemands),
      demandsOnParty: ids(position.demandsOnParty),
      activeThreats: ids(position.activeThreats),
      concessions: ids(position.concessions),
      responses: position.responses.map((r: { evidence: { eventId: string } }) => r.evidence.eventId),
    };
    for (const name of Object.keys(lists)) {
      const sets = check[name as keyof Check] as Sets | undefined;
      if (!sets) continue;
      for (const key of sets.includes)
        expect({ [name]: lists[name] }).toEqual({ [name]: expect.arrayContaining([seedId(key)]) });
      for (const key of sets.excludes)
        expect({ [name]: lists[name] }).toEqual({ [name]: expect.not.arrayContaining([seedId(key)]) });
    }
    for (const [item, stance] of Object.entries(check.itemStances ?? {})) {
      const found = position.items.find((i: { item: string }) => i.item === item);
      expect({ item, stance: found?.stance ?? 'unknown' }).toEqual({ item, stance });
    }
  });

  it("answers 'what was Russia's position on 13 October 2007' in a sentence built from the structure", async () => {
    const res = await request(t.http)
      .get('/parties/russia/positions?topic=missile-defense-europe&at=2007-10-13')
      .expect(200);
    const [position] = res.body.positions;
    expect(position.summary).toMatch(/^As of 13 October 2007, Russia /);
    expect(position.summary).toContain('demanded that the United States freeze');
    expect(
      position.activeDemands.every(
        (d: { evidence: { quote: string; source: { publisher: string } } }) =>
          d.evidence.quote && d.evidence.source.publisher,
      ),
    ).toBe(true);
  });

  it('keeps commentators apart: Lugar supports the Russian proposal, the United States stance does not move', async () => {
    const lugar = await request(t.http)
      .get('/parties/richard-lugar/positions?topic=missile-defense-europe&at=2007-10-09')
      .expect(200);
    expect(lugar.body.positions[0].items.some((i: { stance: string }) => i.stance === 'supports')).toBe(true);
    const usBefore = await request(t.http)
      .get('/parties/united-states/positions?topic=missile-defense-europe&at=2007-10-07')
      .expect(200);
    const usAfter = await request(t.http)
      .get('/parties/united-states/positions?topic=missile-defense-europe&at=2007-10-09')
      .expect(200);
    expect(usAfter.body.positions[0].items).toEqual(usBefore.body.positions[0].items);
  });

  it('covers every topic of the articles', async () => {
    const res = await request(t.http).get('/topics').expect(200);
    const topics = res.body.map((t: { slug: string }) => t.slug);
    for (const topic of topics) {
      const events = await request(t.http).get(`/events?topic=${topic}&limit=1`).expect(200);
      expect({ topic, events: events.body.events.length }).toEqual({ topic, events: 1 });
    }
  });

  it('replays the missile-defense talks in topic order', async () => {
    const res = await request(t.http).get('/topics/missile-defense-europe/replay').expect(200);
    const ends = res.body.steps.map((s: { event: { occurred: { to: string } } }) => s.event.occurred.to);
    expect(ends).toEqual([...ends].sort());
    expect(res.body.steps.length).toBeGreaterThan(30);
  });

  it("renders every event's evidence card in PostgreSQL exactly as the domain does (evidence_card)", async () => {
    const own = await startSeededApp();
    try {
      // The articles quote a named speaker for every claim; one claim with neither covers what evidenceOf leaves out.
      const {
        speaker: _speaker,
        quote: _quote,
        ...bare
      } = claim({
        occurred: '2007-06',
        source: { publisher: 'Interfax', title: 'A report', publishedAt: '2007-07-01' },
      });
      await record(own, bare);
      const events = (await own.app.get(EventStore).readAll(0, 1000)).map(toRecorded);
      expect(events.some((e) => !e.quote && !e.speaker) && events.some((e) => e.speaker?.role)).toBe(true);
      const cards: { id: string; card: string }[] = await own.dataSource.query(
        'SELECT id, evidence_card(id, type, data) AS card FROM events',
      );
      const byId = new Map(cards.map((c) => [c.id, c]));
      for (const event of events) {
        expect(JSON.stringify(JSON.parse(byId.get(event.id)!.card))).toBe(JSON.stringify(evidenceOf(event))); // keys in the same order too
      }
    } finally {
      await own.close();
    }
  });
});
