/**
 * A client written against the generated types (stance-api.d.ts): `npm run lint:types` and
 * test/openapi.e2e-spec.ts compile it, so a change of the API that breaks clients breaks this
 * first. It reads positions and records an event with fetch; nothing here runs in the tests.
 */
import type { components, paths } from './stance-api.js';

type Schemas = components['schemas'];
type Json<T extends { content: { 'application/json': unknown } }> = T['content']['application/json'];

export type RecordEventBody = NonNullable<paths['/events']['post']['requestBody']>['content']['application/json'];
export type PartyPositions = Json<paths['/parties/{party}/positions']['get']['responses'][200]>;
export type Problem = Schemas['ProblemAnswer'];

/** One body per event type: `type` picks the payload's fields. */
export const proposal: RecordEventBody = {
  topic: 'missile-defense-europe',
  type: 'proposal',
  actor: 'united-states',
  targets: ['poland', 'czech-republic'],
  occurred: '2007-01-01/2007-06-06',
  source: {
    publisher: 'The Washington Post',
    title: 'Putin Offers to Join Missile Shield Effort',
    publishedAt: '2007-06-08',
  },
  summary: 'The United States planned interceptors in Poland and a radar in the Czech Republic.',
  key: 'wp-2007-06-08.us-third-site-plan',
  payload: { item: 'us-third-site', terms: 'Ten interceptors in Poland, a radar in the Czech Republic.' },
};

export const refusal: RecordEventBody = {
  ...proposal,
  type: 'rejection',
  refersTo: 'wp-2007-06-08.us-third-site-plan',
  // @ts-expect-error a rejection's payload has a reason, not a proposal's terms
  payload: { item: 'us-third-site', terms: 'no' },
};

// @ts-expect-error a statement's stance is one of supports, opposes, conditional, neutral
export const hostile: Schemas['StatementEvent']['payload'] = { stance: 'hostile' };

/** The compact answer (one line per topic) and the full one are told apart by `detail`. */
export function stances(answer: PartyPositions): string[] {
  if (answer.detail === 'compact')
    return answer.positions.map((p) => `${p.topic}: ${p.stance} (${p.counts.openProposals} open)`);
  // Full positions cite their evidence by reference into the answer's map.
  return answer.positions.flatMap((p) =>
    p.openProposals.map((proposal) => `${p.topic}: ${proposal.item} (${answer.evidence[proposal.evidence].summary})`),
  );
}

export async function positionsOf(base: string, party: string): Promise<PartyPositions | Problem> {
  const res = await fetch(`${base}/parties/${encodeURIComponent(party)}/positions`);
  return res.ok ? ((await res.json()) as PartyPositions) : ((await res.json()) as Problem);
}

export async function record(
  base: string,
  token: string,
  body: RecordEventBody,
): Promise<Schemas['RecordEventAnswer']> {
  const res = await fetch(`${base}/events`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` },
    body: JSON.stringify(body),
  });
  if (!res.ok) throw new Error(((await res.json()) as Problem).message);
  return (await res.json()) as Schemas['RecordEventAnswer'];
}

// ---- Every route, typed from the document: a scripted use that must keep compiling ----------

type Answer<O, S extends number = 200> = O extends {
  responses: { [K in S]: { content: { 'application/json': infer A } } };
}
  ? A
  : never;
type Op<P extends keyof paths, M extends 'get' | 'post' | 'patch'> = NonNullable<paths[P][M]>;
type BodyOf<P extends keyof paths, M extends 'post' | 'patch' = 'post'> =
  Op<P, M> extends { requestBody?: { content: { 'application/json': infer B } } } ? B : never;

/** GET a route; the answer is typed by the document's 200 schema for that path. */
async function get<P extends keyof paths>(base: string, path: string): Promise<Answer<Op<P, 'get'>>> {
  const res = await fetch(`${base}${path}`);
  if (!res.ok) throw new Error(((await res.json()) as Problem).message);
  return (await res.json()) as Answer<Op<P, 'get'>>;
}

/** POST a body to a route; body and answer are typed by the document. */
async function post<P extends keyof paths>(
  base: string,
  token: string,
  path: string,
  body: BodyOf<P>,
): Promise<Answer<Op<P, 'post'>, 201>> {
  const res = await fetch(`${base}${path}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` },
    body: JSON.stringify(body),
  });
  if (!res.ok) throw new Error(((await res.json()) as Problem).message);
  return (await res.json()) as Answer<Op<P, 'post'>, 201>;
}

/** PATCH a route with the fields to change; body and answer are typed by the document. */
async function patch<P extends keyof paths>(
  base: string,
  token: string,
  path: string,
  body: BodyOf<P, 'patch'>,
): Promise<Answer<Op<P, 'patch'>>> {
  const res = await fetch(`${base}${path}`, {
    method: 'PATCH',
    headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` },
    body: JSON.stringify(body),
  });
  if (!res.ok) throw new Error(((await res.json()) as Problem).message);
  return (await res.json()) as Answer<Op<P, 'patch'>>;
}

/** Uses every operation of the API once, reading a field of each answer. */
export async function tour(base: string, token: string): Promise<string[]> {
  const seen: string[] = [];
  const log = await get<'/log'>(base, '/log?after=0&limit=10');
  seen.push(`log: ${log.events.length} events, next ${log.next}`);
  const parties = await get<'/parties'>(base, '/parties');
  seen.push(`parties: ${parties.map((p) => p.slug).join(', ')}`);
  const party = await post<'/parties'>(base, token, '/parties', {
    slug: 'new-party',
    name: 'New Party',
    kind: 'state',
  });
  seen.push(`party: ${(await get<'/parties/{party}'>(base, `/parties/${party.slug}`)).name}`);
  const renamed = await patch<'/parties/{party}'>(base, token, `/parties/${party.slug}`, { plural: true });
  seen.push(`party renamed: plural ${renamed.plural}`);
  const speaker = await post<'/speakers'>(base, token, '/speakers', {
    name: 'A. Spokesperson',
    party: party.slug,
    roles: [{ role: 'Spokesperson', from: '2007-01-01' }],
  });
  const speakers = await get<'/speakers'>(base, '/speakers');
  seen.push(`speakers: ${speakers.length}, ${speaker.roles[0]?.role}`);
  const topic = await post<'/topics'>(base, token, '/topics', { slug: 'new-topic', title: 'A new topic' });
  const item = await post<'/topics/{topic}/items'>(base, token, `/topics/${topic.slug}/items`, {
    slug: 'new-item',
    title: 'A new item',
  });
  const phrased = await patch<'/topics/{topic}'>(base, token, `/topics/${topic.slug}`, { phrase: 'a new topic' });
  seen.push(`topic phrased: ${phrased.phrase}`);
  const topics = await get<'/topics'>(base, '/topics');
  const one = await get<'/topics/{topic}'>(base, `/topics/${topic.slug}`);
  seen.push(`topics: ${topics.length}; ${one.title} with ${one.items.length} items (${item.slug})`);
  const recorded = await record(base, token, proposal);
  const events = await get<'/events'>(base, '/events?limit=5');
  const event = await get<'/events/{id}'>(base, `/events/${recorded.event.id}`);
  const byKey = await get<'/topics/{topic}/events/{key}'>(base, `/topics/${proposal.topic}/events/${proposal.key}`);
  seen.push(`events: ${events.events.length}; ${event.status}; ${byKey.reports.length} reports`);
  seen.push(...stances(await get<'/parties/{party}/positions'>(base, '/parties/russia/positions?at=2007-06-08')));
  const side = await get<'/topics/{topic}/positions'>(base, `/topics/${proposal.topic}/positions?at=2007-06-08`);
  seen.push(`side by side: ${side.positions.map((p) => p.party).join(', ')}`);
  const changes = await get<'/parties/{party}/changes'>(base, '/parties/russia/changes?from=2007-01-01&to=2007-12-31');
  seen.push(`changes: ${changes.topics.flatMap((t) => t.changes).length}`);
  const replay = await get<'/topics/{topic}/replay'>(base, `/topics/${proposal.topic}/replay`);
  seen.push(`replay: ${replay.steps.length} steps`);
  const health = await get<'/health'>(base, '/health');
  seen.push(`health: ${health.status}`);
  return seen;
}
