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
