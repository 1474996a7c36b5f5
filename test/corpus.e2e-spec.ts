import { readFileSync } from 'node:fs';
import request from 'supertest';
import { evidenceCardFunction } from '../src/diplomacy/projection/evidence-card-function.js';
import { evidenceOf } from '../src/diplomacy/domain/records/evolve.js';
import { evidenceRef } from '../src/diplomacy/domain/records/topic-state.js';
import { toRecorded } from '../src/diplomacy/recorded-events.js';
import { isAboutARecord, type RecordedEvent } from '../src/diplomacy/domain/events/events.js';
import { matchesFilters } from '../src/diplomacy/domain/events/event-filter.js';
import { readArticles, seedBody } from '../src/diplomacy/seeds/seed-files.js';
import { SeedLoader, seedId } from '../src/diplomacy/seeds/seed-loader.js';
import { EventStore } from '../src/event-store/event-store.js';
import { claim, record, withCards, withoutKnownAt } from './support/scenario.js';
import { expectAStepOnEveryDayAPositionChanges } from './support/replay-days.js';
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
  /** Other parties' threats against the party that still stand. */
  threatsAgainstParty?: Sets;
  concessions?: Sets;
  responses?: Sets;
  reactions?: Sets;
  reactionsToParty?: Sets;
  /** Agreements and actions in force: a co-signer's included. */
  acts?: Sets;
  /** Events whose dates contain `at`: listed, not counted (a date as tight as the text allows counts on its day). */
  possiblyInEffect?: Sets;
  itemStances?: Record<string, string>;
  /** Items the answer must not list (they did not exist yet, or the party never engaged with them). */
  itemsListed?: { excludes: string[] };
  /** The party's own closed records, and other parties' that concerned it: event key -> how it closed. */
  closed?: Record<string, string>;
  closedConcerningParty?: Record<string, string>;
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

/** The corpus as it was on 2026-12-06, before its second pass (issue 18): 79 events, no dates' bases. */
const SEEDS_OF_2026_12_06 = 'test/fixtures/seeds-2026-12-06';

/**
 * A database that loaded the seeds of 2026-12-06, then the current ones: what a deployment that
 * loaded the corpus before sees. Its 79 events stay as they were (their dates' bases are not
 * there: the loader takes them as the same events); what changed comes as corrections,
 * retractions and new events.
 */
async function startReseededApp(): Promise<TestApp> {
  const t = await startTestApp();
  const before = await t.app.get(SeedLoader).load(SEEDS_OF_2026_12_06);
  expect(before).toMatchObject({ recorded: 79, alreadyThere: 0 });
  const report = await t.app.get(SeedLoader).load();
  expect(report.alreadyThere).toBe(79);
  expect(report.recorded).toBeGreaterThan(0);
  return t;
}

describe.each([
  ['a fresh database', startSeededApp],
  ['a database that loaded the seeds of 2026-12-06 first', startReseededApp],
])('what the articles say, on %s', (_name, start) => {
  let t: TestApp;

  beforeAll(async () => {
    t = await start();
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

  it('names a topic as a sentence does and a plural party with "their", in every summary', async () => {
    const topics: { slug: string; title: string; phrase: string | null }[] = (
      await request(t.http).get('/topics').expect(200)
    ).body;
    expect(topics.find((topic) => topic.slug === 'missile-defense-europe')?.phrase).toBe('missile defense in Europe');
    const parties: { slug: string; plural: boolean }[] = (await request(t.http).get('/parties').expect(200)).body;
    expect(parties.filter((p) => p.plural).map((p) => p.slug)).toEqual(['european-g8-members']);
    const titles = topics.filter((topic) => topic.phrase).map((topic) => topic.title);
    const summaries: { party: string; summary: string }[] = [];
    for (const { slug: party } of parties)
      for (const at of ['2007-06-08', '2007-10-13', '2008-04-03'])
        for (const p of (await request(t.http).get(`/parties/${party}/positions?at=${at}`).expect(200)).body.positions)
          summaries.push({ party, summary: p.summary });
    for (const { party, summary } of summaries) {
      for (const title of titles)
        expect({ party, summary }).toEqual({ party, summary: expect.not.stringContaining(title) });
      if (party === 'european-g8-members')
        expect({ party, summary }).toEqual({ party, summary: expect.not.stringMatching(/\bits\b/) });
    }
    // Congress's funding hold (an action) is said more than a year on, when nothing else stands.
    const congress = (
      await request(t.http).get('/parties/us-congress/positions?topic=missile-defense-europe&at=2009-01-01').expect(200)
    ).body.positions[0];
    expect(congress.summary).toMatch(
      /^As of 1 January 2009, the U\.S\. Congress had no standing position on missile defense in Europe; it took the action “/,
    );
    // The European G8 countries backed down on their own proposal (the Washington Post's "leaders from European countries").
    expect(
      summaries
        .filter((s) => s.party === 'european-g8-members')
        .map((s) => s.summary)
        .join(' '),
    ).toContain('their proposal');
  });

  it.each(checks.map((c) => [c.says, c] as const))('%s', async (_says, check) => {
    const query = `topic=${check.topic}&at=${check.at}${check.knownAt ? `&knownAt=${check.knownAt}` : ''}`;
    const res = await request(t.http).get(`/parties/${check.party}/positions?detail=full&${query}`).expect(200);
    const position = withCards(res.body)[0] ?? {
      items: [],
      openProposals: [],
      activeDemands: [],
      demandsOnParty: [],
      activeThreats: [],
      threatsAgainstParty: [],
      concessions: [],
      responses: [],
      reactions: [],
      reactionsToParty: [],
      acts: [],
      possiblyInEffect: [],
      closed: [],
      closedConcerningParty: [],
    };
    const ids = (list: { eventId?: string; evidence: { eventId: string } }[]) =>
      list.map((e) => e.eventId ?? e.evidence.eventId);
    const lists: Record<string, string[]> = {
      openProposals: ids(position.openProposals),
      activeDemands: ids(position.activeDemands),
      demandsOnParty: ids(position.demandsOnParty),
      activeThreats: ids(position.activeThreats),
      threatsAgainstParty: ids(position.threatsAgainstParty),
      concessions: ids(position.concessions),
      responses: position.responses.map((r: { evidence: { eventId: string } }) => r.evidence.eventId),
      reactions: position.reactions.map((r: { eventId: string }) => r.eventId),
      reactionsToParty: position.reactionsToParty.map((r: { eventId: string }) => r.eventId),
      acts: ids(position.acts),
      possiblyInEffect: ids(position.possiblyInEffect),
    };
    for (const name of Object.keys(lists)) {
      const sets = check[name as keyof Check] as Sets | undefined;
      if (!sets) continue;
      for (const key of sets.includes)
        expect({ [name]: lists[name] }).toEqual({ [name]: expect.arrayContaining([seedId(key)]) });
      for (const key of sets.excludes)
        expect({ [name]: lists[name] }).toEqual({ [name]: expect.not.arrayContaining([seedId(key)]) });
    }
    for (const list of ['closed', 'closedConcerningParty'] as const) {
      const statuses = Object.fromEntries(
        position[list].map((c: { eventId: string; status: string }) => [c.eventId, c.status]),
      );
      for (const [key, status] of Object.entries(check[list] ?? {}))
        expect({ [list]: key, status: statuses[seedId(key)] }).toEqual({ [list]: key, status });
    }
    const listed = position.items.map((i: { item: string }) => i.item);
    for (const item of check.itemsListed?.excludes ?? [])
      expect({ listed }).toEqual({ listed: expect.not.arrayContaining([item]) });
    for (const [item, stance] of Object.entries(check.itemStances ?? {})) {
      const found = position.items.find((i: { item: string }) => i.item === item);
      expect({ item, stance: found?.stance ?? 'unknown' }).toEqual({ item, stance });
    }
  });
});

describe('the seed corpus: three articles on the 2007-2008 missile-defense dispute', () => {
  // Read by every test but the evidence-card one, which records an event and so loads a corpus of its own.
  let t: TestApp;

  beforeAll(async () => {
    t = await startSeededApp();
  });
  afterAll(() => t.close());

  it("keeps a date's basis on the event and its card, and takes another basis for the same id as a conflict over HTTP", async () => {
    const [{ article }] = await readArticles('seeds');
    const offer = article.events.find((e) => e.key === 'wp-2007-06-08/putin-offers-azerbaijan-radar')!;
    const stored = await request(t.http)
      .get(`/events/${seedId(offer.key)}`)
      .expect(200);
    expect(stored.body.occurred).toEqual({
      from: '2007-06-07',
      to: '2007-06-07',
      precision: 'day',
      basis: (offer.occurred as { basis: string }).basis,
    });
    const res = await request(t.http).get('/parties/russia/positions?topic=missile-defense-europe&at=2007-06-08');
    expect(res.body.evidence[seedId(offer.key)].occurred.basis).toBe(stored.body.occurred.basis);
    // Only the seed loader takes a stored seed without its basis as the same event; a client
    // sending an id again with another basis asks for another event under that id.
    const body = {
      ...seedBody(article, offer),
      id: seedId(offer.key),
      occurred: { date: '2007-06-07', basis: 'another' },
    };
    await request(t.http).post('/events').set(t.auth).send(body).expect(409);
  });

  it('names Bush the speaker of his suggestion of expert talks by a correction: the stored record keeps Hadley, who reported it', async () => {
    const suggestion = seedId('wp-2007-06-08/bush-suggests-expert-review');
    const res = await request(t.http).get(`/events/${suggestion}`).expect(200);
    expect(res.body.speaker.name).toBe('Stephen J. Hadley');
    expect(res.body.status).toBe('corrected');
    expect(res.body.correctedBy).toEqual([seedId('wp-2007-06-08/corrects-speaker-of-bush-suggests-expert-review')]);
    expect(res.body.corrected.speaker).toEqual({ name: 'George W. Bush', role: 'President of the United States' });
  });

  it("answers 'what was Russia's position on 13 October 2007' in a sentence built from the structure", async () => {
    const res = await request(t.http)
      .get('/parties/russia/positions?topic=missile-defense-europe&at=2007-10-13')
      .expect(200);
    const [position] = withCards(res.body);
    expect(position.summary).toMatch(/^As of 13 October 2007, Russia /);
    expect(position.summary).toContain(
      'had its demand that the United States freeze the US third site refused by the United States on 12 October 2007',
    );
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
    expect(withCards(lugar.body)[0].items.some((i: { stance: string }) => i.stance === 'supports')).toBe(true);
    const usBefore = await request(t.http)
      .get('/parties/united-states/positions?topic=missile-defense-europe&at=2007-10-07')
      .expect(200);
    const usAfter = await request(t.http)
      .get('/parties/united-states/positions?topic=missile-defense-europe&at=2007-10-09')
      .expect(200);
    expect(withCards(usAfter.body)[0].items).toEqual(withCards(usBefore.body)[0].items);
  });

  it('lists events under the dates their corrections give them, as known at knownAt (GET /events)', async () => {
    const TOPIC = 'missile-defense-europe';
    const refusal = seedId('oct-2007/us-no-intention-to-jettison-third-site'); // 12-13 October, corrected to the 12th
    type Listed = { id: string; corrected: RecordedEvent | null } & RecordedEvent;
    const list = async (query: string): Promise<Listed[]> =>
      (await request(t.http).get(`/events?topic=${TOPIC}&limit=500&${query}`).expect(200)).body.events;
    const ids = async (query: string) => (await list(query)).map((e) => e.id);
    expect(await ids('from=2007-10-13&to=2007-10-13')).not.toContain(refusal);
    expect(await ids('from=2007-10-12&to=2007-10-12')).toContain(refusal);
    // Every listing is the whole log filtered by matchesFilters on each event as corrected (one rule,
    // whatever SQL picks first), as known at each knownAt.
    for (const knownAt of [undefined, '2007-10-31T00:00:00.000Z', '2008-04-03T00:00:00.000Z']) {
      const known = knownAt ? `knownAt=${knownAt}&` : '';
      const all = await list(known);
      for (const filters of [
        { from: '2007-10-13', to: '2007-10-13' },
        { from: '2007-07-01', to: '2007-07-01' },
        { party: 'united-states', from: '2007-10-12', to: '2007-10-31' },
        { party: 'russia', to: '2007-07-01' },
      ]) {
        const query = Object.entries(filters)
          .map(([k, v]) => `${k}=${v}`)
          .join('&');
        expect({ knownAt, query, ids: await ids(known + query) }).toEqual({
          knownAt,
          query,
          ids: all.filter((e) => matchesFilters(e.corrected ?? e, filters)).map((e) => e.id),
        });
      }
    }
  });

  it('lists no correction, retraction or report of an event not yet reported, as known at knownAt (GET /events)', async () => {
    // The seeds date a correction by the source that fixes the date: the one of the US refusal was
    // reported on 12 October 2007, the refusal itself with the article on 31 October.
    const correction = seedId('oct-2007/corrects-date-of-us-no-intention-to-jettison-third-site');
    const refusal = seedId('oct-2007/us-no-intention-to-jettison-third-site');
    for (const knownAt of ['2007-10-20T00:00:00.000Z', '2007-11-01T00:00:00.000Z', '2008-04-05T00:00:00.000Z']) {
      const listed: RecordedEvent[] = (await request(t.http).get(`/events?limit=500&knownAt=${knownAt}`).expect(200))
        .body.events;
      const ids = new Set(listed.map((e) => e.id));
      const dangling = listed.filter((e) => isAboutARecord(e.type) && !ids.has(e.refersTo!)).map((e) => e.id);
      expect({ knownAt, dangling }).toEqual({ knownAt, dangling: [] });
      expect(ids.has(correction)).toBe(ids.has(refusal));
    }
    const early = await request(t.http).get(`/events/${correction}?knownAt=2007-10-20`).expect(404);
    expect(early.body.errors[0]).toMatchObject({ field: 'knownAt' });
    expect(early.body.errors[0].problem).toContain(refusal);
    await request(t.http).get(`/events/${correction}?knownAt=2007-11-01`).expect(200);
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
    type Step = { countsFrom: string; retractedBy?: string; event: { occurred: { to: string } } };
    const steps: Step[] = withCards(res.body, 'steps');
    const days = steps.map((s) => s.countsFrom);
    expect(days).toEqual([...days].sort());
    // A retracted record's step is on the day it began, not where it would have counted.
    const ends = steps.filter((s) => !s.retractedBy).map((s) => s.event.occurred.to);
    expect(ends).toEqual([...ends].sort());
    expect(withCards(res.body, 'steps').length).toBeGreaterThan(30);
  });

  it.each([undefined, '2007-10-20T00:00:00.000Z', '2008-04-05T00:00:00.000Z'])(
    'replays every topic as its positions say at each day, known at %s: every party whose position changed, with its side lists',
    async (knownAt) => {
      type Shown = { party: string; lastChangeAffecting: unknown } & Record<string, unknown>;
      // What depends on the day asked rather than on the events folded: compared on the step's own day below.
      const SIDE_LISTS = ['possiblyInEffect', 'retracted', 'answersToRetracted'];
      const folded = ({ at: _at, summary: _summary, ...rest }: Shown) =>
        Object.fromEntries(Object.entries(rest).filter(([key]) => !SIDE_LISTS.includes(key)));
      const sides = (p: Shown) => Object.fromEntries(SIDE_LISTS.map((key) => [key, p[key]]));
      const known = knownAt ? `&knownAt=${knownAt}` : '';
      const topics = (await request(t.http).get('/topics').expect(200)).body.map(
        (topic: { slug: string }) => topic.slug,
      );
      let compared = 0;
      let sideLists = 0;
      for (const topic of topics) {
        const replay = (
          await request(t.http)
            .get(`/topics/${topic}/replay?${known.slice(1)}`)
            .expect(200)
        ).body;
        expect(replay.knownAt).toBe(knownAt ?? null);
        const steps = replay.steps as { countsFrom: string; event: { reportedAt: string }; positions: Shown[] }[];
        if (knownAt) expect(steps.filter((s) => s.event.reportedAt > knownAt)).toEqual([]);
        const latest = new Map<string, Shown>();
        for (const [i, step] of steps.entries()) {
          for (const position of step.positions) latest.set(position.party, position);
          const day = step.countsFrom;
          if (steps[i + 1]?.countsFrom === day) continue; // the day's last step: the positions at that day
          const path = `/topics/${topic}/positions?at=${day}&history=all${known}`;
          const answer = (await request(t.http).get(path).expect(200)).body;
          for (const position of answer.positions as Shown[]) {
            // Engaged only by an event possibly in effect: no step has folded anything of it.
            if (!position.lastChangeAffecting) continue;
            // Shown at its last change, which a step made: unchanged since, as the positions say.
            expect({ path, shown: folded(latest.get(position.party)!) }).toEqual({ path, shown: folded(position) });
            compared++;
          }
          for (const position of steps.filter((s) => s.countsFrom === day).flatMap((s) => s.positions)) {
            const asked = (answer.positions as Shown[]).find((p) => p.party === position.party);
            expect({ path, party: position.party, lists: sides(position) }).toEqual({
              path,
              party: position.party,
              lists: sides(asked!),
            });
            sideLists++;
          }
        }
      }
      expect(compared).toBeGreaterThan(knownAt ? 20 : 100);
      expect(sideLists).toBeGreaterThan(knownAt ? 20 : 100);
    },
  );

  it.each([undefined, '2007-10-20T00:00:00.000Z', '2008-04-05T00:00:00.000Z'])(
    'replays every day a position changes on, known at %s: a step that day shows the position read that day (a retracted record on the day it began)',
    async (knownAt) => {
      const topics = (await request(t.http).get('/topics').expect(200)).body.map(
        (topic: { slug: string }) => topic.slug,
      );
      let changes = 0;
      for (const topic of topics) changes += await expectAStepOnEveryDayAPositionChanges(t.http, topic, knownAt);
      expect(changes).toBeGreaterThan(knownAt ? 10 : 60);
    },
    // A read of every topic's positions on each day an event began, ended, counts from or was reported.
    240_000,
  );

  it('refuses a query parameter a route does not take, naming it, rather than answering as if it were not asked', async () => {
    for (const path of [
      '/parties/russia/positions?known_at=2007-10-12',
      '/parties/russia/changes?from=2007-06-01&since=2007-06-01',
      '/topics/missile-defense-europe/replay?bogus=1',
      '/topics/missile-defense-europe/positions?topic=x',
      '/parties?at=2007-06-01',
      '/events?party=russia&sort=date',
      '/export/datapackage.json?separator=tab', // its tables are CSV resources
    ]) {
      const res = await request(t.http).get(path).expect(400);
      const field = path.split(/[?&]/).pop()!.split('=')[0];
      expect({ path, errors: res.body.errors.map((e: { field: string }) => e.field) }).toEqual({
        path,
        errors: [field],
      });
    }
    // What each route takes is what the API's document says it takes (minPosition on every read of the log).
    await request(t.http).get('/parties/russia/positions?at=2007-10-12&minPosition=1&detail=full').expect(200);
    const stream = await request(t.http)
      .get('/topics/missile-defense-europe/replay?knownAt=2007-10-20')
      .set('Accept', 'text/event-stream')
      .expect(400);
    expect(stream.body.errors[0].field).toBe('knownAt');
    // A range that ends before it begins is a mistake, not a question whose answer is "nothing".
    for (const path of [
      '/events?from=2008-01-01&to=2007-01-01',
      '/export/events?from=2008-01-01&to=2007-01-01',
      '/topics/missile-defense-europe/replay?from=2008-01-01&to=2007-01-01',
      '/parties/russia/changes?from=2008-01-01&to=2007-01-01',
    ]) {
      const res = await request(t.http).get(path).expect(400);
      expect({ path, field: res.body.errors[0].field }).toEqual({ path, field: 'to' });
    }
  });

  it('lists changes as known at an instant: none backed by a later report, corrections as known then', async () => {
    const knownAt = '2007-10-20T00:00:00.000Z';
    const path = '/parties/russia/changes?from=2007-06-01&to=2008-12-31';
    const [all, known] = await Promise.all([
      request(t.http).get(path).expect(200),
      request(t.http).get(`${path}&knownAt=${knownAt}`).expect(200),
    ]);
    expect([all.body.knownAt, known.body.knownAt]).toEqual([null, knownAt]);
    const cards = (answer: { evidence: Record<string, { reportedAt: string }> }) => Object.values(answer.evidence);
    expect(cards(known.body).filter((card) => card.reportedAt > knownAt)).toEqual([]);
    expect(cards(all.body).some((card) => card.reportedAt > knownAt)).toBe(true);
    // Some changes were known then, fewer than there are now.
    const kinds = (answer: { topics: { changes: { kind: string }[] }[] }) =>
      answer.topics.flatMap((topic) => topic.changes.map((c) => c.kind));
    expect(kinds(known.body).length).toBeGreaterThan(0);
    expect(kinds(known.body).length).toBeLessThan(kinds(all.body).length);
  });

  it("renders every event's evidence card in PostgreSQL exactly as the domain does (both generated from one description)", async () => {
    const own = await startSeededApp();
    try {
      // The function in the database is the one the card description generates (a migration made it).
      const [{ body }] = await own.dataSource.query(
        `SELECT prosrc AS body FROM pg_proc WHERE proname = 'evidence_card'`,
      );
      expect(body).toBe(evidenceCardFunction().split('$$')[1]);
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

/** Every event id an answer names anywhere: in its records, trails, closures and links. */
function idsIn(value: unknown, into = new Set<string>()): Set<string> {
  if (typeof value === 'string') into.add(value);
  else if (Array.isArray(value)) value.forEach((v) => idsIn(v, into));
  else if (value && typeof value === 'object') Object.values(value).forEach((v) => idsIn(v, into));
  return into;
}

describe('faithful positions on the seed corpus (DESIGN section 4)', () => {
  let t: TestApp;
  const TOPIC = 'missile-defense-europe';
  const position = async (party: string, query: string) => {
    const res = await request(t.http).get(`/parties/${party}/positions?topic=${TOPIC}&${query}`).expect(200);
    return withCards(res.body)[0];
  };

  const seedEvents = async () => (await t.app.get(EventStore).readAll(0, 1000)).map(toRecorded);

  beforeAll(async () => {
    t = await startSeededApp();
  });
  afterAll(() => t.close());

  it('shows nothing from the future: no answer lists an item no event had named (and, with knownAt, reported) by then', async () => {
    /** item -> the days it was named and when each naming was reported */
    const namings = new Map<string, { to: string; reported: string }[]>();
    for (const e of await seedEvents()) {
      const item = (e.payload as { item?: string }).item;
      if (e.topic !== TOPIC || !item) continue;
      namings.set(item, [...(namings.get(item) ?? []), { to: e.occurred.to, reported: e.reportedAt.slice(0, 10) }]);
    }
    const cases = [
      { at: '2007-06-06' },
      { at: '2007-06-06', knownAt: '2008-12-31' },
      { at: '2008-04-03', knownAt: '2007-11-01' },
    ];
    for (const { at, knownAt } of cases) {
      const query = `at=${at}${knownAt ? `&knownAt=${knownAt}` : ''}`;
      const res = await request(t.http).get(`/topics/${TOPIC}/positions?${query}`).expect(200);
      const listed: [string, string][] = withCards(res.body).flatMap(
        (p: { party: string; items: { item: string }[] }) => p.items.map((i) => [p.party, i.item] as [string, string]),
      );
      expect(listed.length).toBeGreaterThan(0);
      const existed = (item: string) =>
        (namings.get(item) ?? []).some((n) => n.to <= at && (!knownAt || n.reported <= knownAt));
      expect({ query, future: listed.filter(([, item]) => !existed(item)) }).toEqual({ query, future: [] });
    }
    const russia = await position('russia', 'at=2007-06-06');
    // Its 1993 'Trust' proposal, recalled by the October article, and its opposition to the plan.
    expect(russia.items.map((i: { item: string }) => i.item)).toEqual(['trust-proposal-1993', 'us-third-site']);
  });

  it('keeps what Russia dropped: on 8 June 2007 the re-targeting threat shows as withdrawn, with the event that withdrew it', async () => {
    const russia = await position('russia', 'at=2007-06-08');
    expect(russia.activeThreats).toEqual([]);
    const threat = russia.closed.find(
      (c: { eventId: string }) => c.eventId === seedId('wp-2007-06-08/putin-threatens-to-re-aim-missiles-at-europe'),
    );
    expect(threat).toMatchObject({
      record: 'threat',
      status: 'withdrawn',
      closed: { status: 'withdrawn', on: '2007-06-07', party: 'russia' },
    });
    expect(threat.closed.evidence.eventId).toBe(seedId('wp-2007-06-08/putin-drops-re-targeting-threat'));
    expect(russia.summary).toContain('withdrew its threat to re-aim');
  });

  it("keeps the US refusal visible through October 2007, on the demand it refused and in both parties' answers", async () => {
    const refusal = seedId('oct-2007/us-no-intention-to-jettison-third-site');
    for (const at of ['2007-10-14', '2007-10-31']) {
      const us = await position('united-states', `at=${at}`);
      const refused = us.closedConcerningParty.find((c: { status: string }) => c.status === 'refused');
      expect(refused).toMatchObject({ record: 'demand', by: 'russia', closed: { party: 'united-states' } });
      expect(refused.closed.evidence.eventId).toBe(refusal);
      expect(refused.responses).toEqual([expect.objectContaining({ party: 'united-states', response: 'rejected' })]);
      const russia = await position('russia', `at=${at}`);
      expect(russia.closed.find((c: { status: string }) => c.status === 'refused').closed.evidence.eventId).toBe(
        refusal,
      );
    }
    // The later US statements on the third site do not erase the earlier ones: they are in its stance trail.
    const us = await position('united-states', 'at=2007-10-31');
    const site = us.items.find((i: { item: string }) => i.item === 'us-third-site');
    expect(site.replaced.length).toBeGreaterThan(0);
  });

  it("lists Russia's freeze demand, made three times, as the README says: refused, naming the two it restates, each superseded", async () => {
    const russia = await position('russia', 'at=2007-10-13');
    const freezes = russia.closed.filter(
      (c: { record: string; evidence: { type: string } }) =>
        c.record === 'demand' && c.evidence.type === 'freeze_demand',
    );
    const [refused] = freezes.filter((c: { status: string }) => c.status === 'refused');
    const superseded = freezes.filter((c: { status: string }) => c.status === 'superseded');
    expect(superseded).toHaveLength(2);
    expect(refused.closed.party).toBe('united-states');
    expect(refused.restates.map((r: { evidence: { eventId: string } }) => r.evidence.eventId).sort()).toEqual(
      superseded.map((c: { eventId: string }) => c.eventId).sort(),
    );
  });

  it('forgets nothing: with history=all every event of each main party is in its position or possibly in effect', async () => {
    for (const party of ['russia', 'united-states']) {
      const mine = (await seedEvents()).filter(
        (e) => e.topic === TOPIC && e.actor === party && e.type !== 'correction' && e.type !== 'retraction',
      );
      expect(mine.length).toBeGreaterThan(5);
      const answer = await position(party, 'at=2008-12-31&history=all');
      const named = idsIn(answer);
      expect({ party, missing: mine.filter((e) => !named.has(e.id)).map((e) => e.id) }).toEqual({ party, missing: [] });
    }
  });

  it('lists a retracted record only from the day it began: nothing retracted from later shows at an earlier date', async () => {
    const later = [
      seedId('fox-2008-04-03/russia-finds-monitoring-offer-useful'),
      seedId('fox-2008-04-03/russia-finds-activation-delay-useful'),
    ];
    const retracted = (answer: { retracted: { evidence: { eventId: string } }[] }) =>
      answer.retracted.map((r) => r.evidence.eventId).sort();
    // Both began on 1 March 2008 (as the record told it) and were retracted on 3 April 2008.
    expect(retracted(await position('russia', 'at=2007-10-13'))).toEqual([]);
    expect(retracted(await position('russia', 'at=2007-10-13&knownAt=2008-04-03T00:00:00.000Z'))).toEqual([]);
    expect(retracted(await position('russia', 'at=2008-03-01'))).toEqual([...later].sort());
    expect(retracted(await position('russia', 'at=2008-03-01&knownAt=2008-04-03T00:00:00.000Z'))).toEqual(
      [...later].sort(),
    );
    // The compact line counts what the full answer lists; no card of them rides along.
    const compact = await request(t.http).get('/parties/russia/positions?at=2007-10-13').expect(200);
    const line = compact.body.positions.find((p: { topic: string }) => p.topic === TOPIC);
    expect(line.counts.retracted).toBe(0);
    for (const id of later) expect(Object.keys(compact.body.evidence).some((ref) => ref.startsWith(id))).toBe(false);
  });

  it("keeps an answer in its author's position when the record it answered is retracted, with that record", async () => {
    const own = await startSeededApp();
    try {
      const request_ = seedId('oct-2007/putin-freeze-request-oct-12');
      const refusal = seedId('oct-2007/us-no-intention-to-jettison-third-site');
      const retraction = await record(
        own,
        claim({
          type: 'retraction',
          actor: 'russia',
          targets: [],
          speaker: undefined,
          quote: undefined,
          occurred: '2009-02-10',
          reportedAt: '2009-02-10T12:00:00.000Z',
          source: { publisher: 'Test Wire', title: 'No such request', publishedAt: '2009-02-10' },
          summary: 'The report of a freeze request by Putin on 12 October 2007 was in error.',
          refersTo: request_,
          payload: { reason: 'posted by the test' },
        }),
      );
      const us = async (query: string) =>
        withCards(
          (await request(own.http).get(`/parties/united-states/positions?topic=${TOPIC}&${query}`).expect(200)).body,
        )[0];
      const answered = await us('at=2007-10-13&history=all');
      expect(answered.answersToRetracted).toEqual([
        expect.objectContaining({
          evidence: expect.objectContaining({ eventId: refusal, type: 'rejection' }),
          answers: expect.objectContaining({ eventId: request_, type: 'freeze_demand', actor: 'russia' }),
          retraction: expect.objectContaining({ eventId: retraction.event.id }),
        }),
      ]);
      // Forgets nothing: every US event of the topic is still somewhere in its position.
      const mine = (await own.app.get(EventStore).readAll(0, 1000))
        .map(toRecorded)
        .filter(
          (e) => e.topic === TOPIC && e.actor === 'united-states' && e.type !== 'correction' && e.type !== 'retraction',
        );
      const named = idsIn(await us('at=2008-12-31&history=all'));
      expect(mine.filter((e) => !named.has(e.id)).map((e) => e.id)).toEqual([]);
      // Listed from the day it counts; and, as known before the retraction, it refused the demand as before.
      expect((await us('at=2007-10-11&history=all')).answersToRetracted).toEqual([]); // corrected to 12 October
      const before = await us('at=2007-10-13&history=all&knownAt=2009-02-10T11:59:59.000Z');
      expect(before.answersToRetracted).toEqual([]);
      expect(
        before.closedConcerningParty.find((c: { status: string }) => c.status === 'refused').closed.evidence.eventId,
      ).toBe(refusal);
      const compact = await request(own.http)
        .get('/parties/united-states/positions?at=2007-10-13&history=all')
        .expect(200);
      expect(compact.body.positions.find((p: { topic: string }) => p.topic === TOPIC).counts.answersToRetracted).toBe(
        1,
      );
    } finally {
      await own.close();
    }
  });

  it('closes what events close: a withdrawal of the third-site plan moots the freeze demand and the threats on it', async () => {
    const own = await startSeededApp();
    try {
      await record(
        own,
        claim({
          type: 'withdrawal',
          actor: 'united-states',
          targets: ['poland', 'czech-republic'],
          speaker: { name: 'Robert Gates', role: 'Secretary of Defense of the United States' },
          occurred: '2008-05-01',
          source: { publisher: 'Test Wire', title: 'The plan is dropped', publishedAt: '2008-05-02' },
          quote: 'We are dropping the plan for the sites in Poland and the Czech Republic.',
          summary: 'The United States withdraws its third-site plan.',
          refersTo: seedId('wp-2007-06-08/us-third-site-plan'),
          payload: { reason: 'posted by the test' },
        }),
      );
      const res = await request(own.http).get(`/parties/russia/positions?topic=${TOPIC}&at=2008-05-02`).expect(200);
      const russia = withCards(res.body)[0];
      const status = (key: string) => russia.closed.find((c: { eventId: string }) => c.eventId === seedId(key))?.status;
      expect(status('oct-2007/lavrov-freeze-demand-press-conference')).toBe('moot');
      expect(status('oct-2007/russia-threatens-to-target-east-european-sites')).toBe('moot');
      expect(russia.activeDemands).toEqual([]);
      expect(russia.activeThreats).toEqual([]);
      const before = await request(own.http).get(`/parties/russia/positions?topic=${TOPIC}&at=2008-04-30`).expect(200);
      expect(withCards(before.body)[0].activeThreats.map((t: { eventId: string }) => t.eventId)).toContain(
        seedId('oct-2007/russia-threatens-to-target-east-european-sites'),
      );
      // Russia welcomes the decision (a reaction, by key): its summary leads with it, and Russia
      // still opposes the plan itself.
      const withdrawal = (
        await request(own.http).get(`/events?topic=${TOPIC}&type=withdrawal&limit=500`).expect(200)
      ).body.events.find((e: { summary: string }) => e.summary === 'The United States withdraws its third-site plan.');
      await record(
        own,
        claim({
          type: 'statement',
          actor: 'russia',
          targets: [],
          occurred: '2008-05-01',
          source: { publisher: 'Test Wire', title: 'Moscow welcomes it', publishedAt: '2008-05-02' },
          summary: 'Russia welcomes the US decision to drop the plan.',
          refersTo: withdrawal.id,
          payload: { stance: 'supports' },
        }),
      );
      const after = withCards(
        (await request(own.http).get(`/parties/russia/positions?topic=${TOPIC}&at=2008-05-02`).expect(200)).body,
      )[0];
      expect(after.summary).toMatch(
        /^As of 2 May 2008, Russia welcomed the withdrawal by the United States of the US third site on 1 May 2008/,
      );
      expect(after.items.find((i: { item: string }) => i.item === 'us-third-site').stance).toBe('opposes');
    } finally {
      await own.close();
    }
  });
  it('answers from stored rows what a fold answers, as 2007 records leave the 12-month window (hidden_from)', async () => {
    for (const at of ['2007-10-13', '2008-04-03', '2008-07-09', '2008-10-20', '2009-06-01']) {
      for (const history of ['window', 'all']) {
        const stored = await request(t.http).get(`/topics/${TOPIC}/positions?at=${at}&history=${history}`).expect(200);
        const folded = await request(t.http)
          .get(`/topics/${TOPIC}/positions?at=${at}&history=${history}&knownAt=2030-01-01`)
          .expect(200);
        expect({ at, history, positions: withoutKnownAt(withCards(stored.body)) }).toEqual({
          at,
          history,
          positions: withoutKnownAt(withCards(folded.body)),
        });
      }
    }
    // The window does leave something out by then: closed records of 2007 are gone from the default answer.
    const [late] = withCards(
      (await request(t.http).get(`/parties/russia/positions?topic=${TOPIC}&at=2009-06-01`).expect(200)).body,
    );
    const [all] = withCards(
      (await request(t.http).get(`/parties/russia/positions?topic=${TOPIC}&at=2009-06-01&history=all`).expect(200))
        .body,
    );
    expect(all.closed.length).toBeGreaterThan(late.closed.length);
  });

  it('cites each evidence card once per answer: references in the positions, cards in the evidence map', async () => {
    const res = await request(t.http)
      .get(`/parties/russia/positions?topic=${TOPIC}&at=2008-04-03&history=all`)
      .expect(200);
    const cited = new Set<string>();
    const cite = (value: unknown, inCard = false): void => {
      if (Array.isArray(value)) value.forEach((v) => cite(v, inCard));
      else if (inCard && value !== null) {
        expect(typeof value).toBe('string'); // a reference, never a card inline
        cited.add(value as string);
      } else if (value && typeof value === 'object')
        for (const [key, field] of Object.entries(value))
          cite(
            field,
            ['evidence', 'retraction', 'answers', 'lastChange', 'lastChangeAffecting', 'possiblyInEffect'].includes(
              key,
            ),
          );
    };
    cite(res.body.positions);
    expect(cited.size).toBeGreaterThan(20);
    // Every reference resolves, and the map holds nothing else.
    expect(Object.keys(res.body.evidence).sort()).toEqual([...cited].sort());
    for (const [ref, card] of Object.entries<{ eventId: string; quote?: string; source: object }>(res.body.evidence)) {
      expect(ref.startsWith(card.eventId)).toBe(true);
      expect(card.source).toBeDefined();
    }
    // No card is repeated: the answer is smaller than with the cards in place.
    const inline = JSON.stringify(withCards(res.body));
    expect(JSON.stringify(res.body).length).toBeLessThan(inline.length);
  });

  it('answers one compact line per topic without topic=, and the full positions with detail=full', async () => {
    const compact = await request(t.http).get('/parties/russia/positions?at=2007-10-13').expect(200);
    expect(compact.body.detail).toBe('compact');
    const line = compact.body.positions.find((p: { topic: string }) => p.topic === TOPIC);
    const full = await position('russia', 'at=2007-10-13');
    expect(line).toEqual({
      topic: TOPIC,
      topicTitle: full.topicTitle,
      party: 'russia',
      partyName: 'Russia',
      stance: full.stance,
      summary: full.summary,
      counts: expect.objectContaining({
        items: full.items.length,
        topicStance: full.topicStance ? 1 : 0,
        openProposals: full.openProposals.length,
        activeDemands: full.activeDemands.length,
        closed: full.closed.length,
        possiblyInEffect: full.possiblyInEffect.length,
      }),
      lastChange: evidenceRef(full.lastChange.eventId, full.lastChange.correctedBy),
      lastChangeAffecting: expect.any(String),
    });
    expect(compact.body.evidence[line.lastChange]).toEqual(full.lastChange);
    expect(compact.body.positions.map((p: { topic: string }) => p.topic)).toEqual(
      [...compact.body.positions.map((p: { topic: string }) => p.topic)].sort(),
    );
    const all = await request(t.http).get('/parties/russia/positions?at=2007-10-13&detail=full').expect(200);
    expect(all.body.detail).toBe('full');
    expect(withCards(all.body).find((p: { topic: string }) => p.topic === TOPIC)).toEqual(full);
    // The compact line reads only what the summary needs: it agrees with the full positions at every date.
    for (const party of ['russia', 'united-states', 'poland', 'czech-republic']) {
      for (const at of ['2007-02-15', '2007-06-08', '2007-10-13', '2008-04-03', '2009-06-01']) {
        const lines = await request(t.http).get(`/parties/${party}/positions?at=${at}`).expect(200);
        const fulls = withCards(
          (await request(t.http).get(`/parties/${party}/positions?at=${at}&detail=full`).expect(200)).body,
        );
        const expected = fulls.map((p) => ({
          topic: p.topic,
          stance: p.stance,
          summary: p.summary,
          counts: Object.fromEntries(
            Object.keys(line.counts).map((k) => [k, k === 'topicStance' ? (p.topicStance ? 1 : 0) : p[k].length]),
          ),
          // A reference: `<id>+<correction id>` when a correction changed the record (the seeds' dates).
          lastChange: p.lastChange ? evidenceRef(p.lastChange.eventId, p.lastChange.correctedBy) : null,
        }));
        const got = lines.body.positions.map((l: Record<string, unknown>) => ({
          topic: l.topic,
          stance: l.stance,
          summary: l.summary,
          counts: l.counts,
          lastChange: l.lastChange,
        }));
        expect({ party, at, got }).toEqual({ party, at, got: expected });
      }
    }
    const bad = await request(t.http).get('/parties/russia/positions?detail=everything').expect(400);
    expect(bad.body.errors[0]).toMatchObject({ field: 'detail' });
  });
});
