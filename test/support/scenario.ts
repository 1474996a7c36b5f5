import { randomBytes } from 'node:crypto';
import request from 'supertest';
import { startTestApp, type TestApp } from './test-app.js';
import { type EvidenceMap, inlineEvidence } from '../../src/diplomacy/domain/positions/evidence-map.js';

const MISSILE_DEFENSE_ITEMS = [
  { slug: 'us-third-site', title: 'the US third site in Poland and the Czech Republic' },
  { slug: 'azerbaijan-radar', title: 'joint use of the Gabala radar' },
];

/** A small catalog for API tests: the real corpus has its own test (corpus.e2e-spec.ts). */
export async function createCatalog(t: TestApp): Promise<void> {
  for (const party of [
    { slug: 'russia', name: 'Russia', kind: 'state', aliases: ['Russian Federation'] },
    { slug: 'united-states', name: 'the United States', kind: 'state' },
    { slug: 'poland', name: 'Poland', kind: 'state' },
    { slug: 'nato', name: 'NATO', kind: 'alliance' },
    { slug: 'richard-lugar', name: 'Richard Lugar', kind: 'person' },
  ]) {
    await request(t.http).post('/parties').set(t.auth).send(party).expect(201);
  }
  await request(t.http)
    .post('/topics')
    .set(t.auth)
    .send({
      slug: 'missile-defense-europe',
      title: 'Missile defense in Europe',
      items: MISSILE_DEFENSE_ITEMS,
    })
    .expect(201);
  await request(t.http).post('/topics').set(t.auth).send({ slug: 'cfe-treaty', title: 'The CFE treaty' }).expect(201);
  // An event's speaker must be in the catalog: the speakers the tests' claims name.
  for (const speaker of SPEAKERS) await request(t.http).post('/speakers').set(t.auth).send(speaker).expect(201);
}

const SPEAKERS = [
  {
    name: 'Vladimir Putin',
    party: 'russia',
    aliases: ['Putin'],
    roles: [
      { role: 'President of Russia', from: '2000-05-07', to: '2008-05-07' },
      { role: 'Prime Minister of Russia', from: '2008-05-08', to: '2012-05-07' },
    ],
  },
  { name: 'Sergei Lavrov', party: 'russia', roles: [{ role: 'Foreign Minister of Russia', from: '2004-03-09' }] },
  { name: 'Yuri Baluyevsky', party: 'russia', roles: [{ role: 'Chief of the General Staff of Russia' }] },
  { name: 'Robert Gates', party: 'united-states', roles: [{ role: 'US Secretary of Defense', from: '2006-12-18' }] },
];

/** The real application on a fresh database holding the small catalog. */
export async function startCatalogApp(env: NodeJS.ProcessEnv = {}): Promise<TestApp> {
  const t = await startTestApp(env);
  await createCatalog(t);
  return t;
}

/**
 * A topic of the test's own, with the items of missile-defense-europe: what the test records
 * there changes no other test's reads of a topic.
 */
export async function createTopic(t: TestApp): Promise<string> {
  const slug = `topic-${randomBytes(4).toString('hex')}`;
  await request(t.http)
    .post('/topics')
    .set(t.auth)
    .send({ slug, title: `A topic of its own (${slug})`, items: MISSILE_DEFENSE_ITEMS })
    .expect(201);
  return slug;
}

const source = {
  publisher: 'The Washington Post',
  title: 'Putin Offers to Join Missile Shield Effort',
  publishedAt: '2007-06-08',
};

/** A report of a day, for events whose source matters only by its date. */
export const reportOf = (day: string) => ({ publisher: 'Reuters', title: `Report of ${day}`, publishedAt: day });
/** The United States to Russia (Gates speaking), and Russia to the United States (Lavrov): spread into a claim. */
export const US_TO_RUSSIA = { actor: 'united-states', targets: ['russia'], speaker: { name: 'Robert Gates' } };
export const RUSSIA_TO_US = { actor: 'russia', targets: ['united-states'], speaker: { name: 'Sergei Lavrov' } };

/**
 * The default source, published no later than a reportedAt the test gives (POST /events refuses a
 * source published after it): from the start of that day if it is before 8 June 2007.
 */
function sourceBy(reportedAt: unknown) {
  const day = typeof reportedAt === 'string' ? reportedAt.slice(0, 10) : undefined;
  return day && /^\d{4}-\d{2}-\d{2}$/.test(day) && day < source.publishedAt
    ? { ...source, publishedAt: `${day}T00:00:00Z` }
    : source;
}

/** A valid POST /events body; override what the test is about. */
export function claim(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    topic: 'missile-defense-europe',
    type: 'statement',
    actor: 'russia',
    targets: ['united-states'],
    speaker: { name: 'Vladimir Putin', role: 'President of Russia' },
    occurred: '2007-06-07',
    source: sourceBy(overrides.reportedAt),
    quote: 'We have an understanding, as well as common threats',
    summary: 'Putin says Russia opposes the US third site.',
    payload: { item: 'us-third-site', stance: 'opposes', reason: 'it threatens Russian security' },
    ...overrides,
  };
}

export async function record(t: TestApp, body: Record<string, unknown>, status = 201) {
  const response = await request(t.http).post('/events').set(t.auth).send(body);
  if (response.status !== status)
    throw new Error(`expected ${status}, got ${response.status}: ${JSON.stringify(response.body)}`);
  return response.body;
}

/**
 * Positions as comparable across the two read paths: an answer with a far-future `knownAt`
 * (which forces the fold of the log) says so in `knownAt` and in its summary; nothing else may differ.
 */
export function withoutKnownAt(positions: readonly Record<string, unknown>[]): Record<string, unknown>[] {
  return positions.map(({ knownAt: _knownAt, summary, ...rest }) => ({
    ...rest,
    summary: String(summary).replace(/, as publicly known on \d{1,2} \w+ \d{4}/, ''),
  }));
}

/**
 * An answer's list (`positions`, `steps`, `topics`) with each cited evidence card put back where
 * it is cited: the API sends every card once, in the answer's `evidence` map.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function withCards(body: { evidence: EvidenceMap } & Record<string, any>, key = 'positions'): any[] {
  expect(body.evidence).toBeDefined();
  return inlineEvidence(body[key], body.evidence);
}
